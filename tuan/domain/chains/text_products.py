"""The products of a new chain when only its text is known: priced or not, header or entries.

Real chains rarely list products with prices. A chain imported as a new one takes its products
from whatever the text gives: the header's product lines (with their prices), the products the
entries name (`1.295-909 五斤西瓜，十斤苹果`: 西瓜 and 苹果, sold by the 斤), and when nothing
names one, one product named after the chain (`半个南瓜 等会送来 共20份`: 南瓜 by the 份, 20 of
them; a sign-up list: the list's title). A product without a price keeps it unknown
(`price_cents` None) until the leader fills it in.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from tuan.domain.chains.header import HeaderItem
from tuan.domain.chains.parse import ParsedChain
from tuan.domain.shared.text import CN_NUMERAL_CHARS, to_halfwidth
from tuan.domain.shared.units import UNIT_PATTERN
from tuan.i18n import _

# `半个南瓜`, `一箱苹果`, `5斤橙子`: the amount in front of a product named in a title.
# Digits alone stay: `84消毒液` is the product's name.
_LEAD_AMOUNT_RE = re.compile(
    rf"^(?:(?:半|[{CN_NUMERAL_CHARS}]+)\s*(?:{UNIT_PATTERN})?|\d+\s*(?:{UNIT_PATTERN}))"
)
# `共20份`, `限量30份`, `一共50斤`: how many there are, and what they are counted in.
_TOTAL_RE = re.compile(rf"(?:一共|总共|共|限量|仅)\s*(\d{{1,5}})\s*({UNIT_PATTERN})")
# `每人限购3份`, `每户限2`: at most this many a person.
_PER_PERSON_RE = re.compile(r"每(?:人|户|家)限购?\s*(\d{1,3})")
_NAME_TRIM = " \t:：,，、;；-—_~!！。.【】[]()（）#"  # i18n-keep: input grammar
#: Longest name given to a product taken from the title.
MAX_NAME = 20


def text_products(parsed: ParsedChain) -> tuple[HeaderItem, ...]:
    """The products a chain made from this text gets, in the order the text names them.

    The header's products first, then the products only the entries name (price unknown, the
    unit they are counted in as spec: `每斤`); when neither names one but there are entries,
    one product from the title. Empty only for a text with no products and no entries.
    """
    products = list(parsed.header.items)
    if len(products) == 1:
        products[0] = _with_header_lines(products[0], parsed)
    named = {item.name for item in products}
    labels: dict[str, Counter[str]] = {}
    loose: Counter[str] = Counter()  # units of quantities no product took (`6份`)
    for entry in parsed.entries:
        for line in entry.items:
            label = line.label.strip(_NAME_TRIM)
            if line.item is None and label and label not in named:
                labels.setdefault(label, Counter())[line.unit or ""] += 1
            elif line.item is None:
                loose[line.unit or ""] += 1
    header_text = " ".join((parsed.header.title, *parsed.header.description))
    with_labels = sum(1 for entry in parsed.entries if any(i.label for i in entry.items))
    title_word = _title_word(parsed.header.title)
    for label, units in labels.items():
        # One word glued to a number in a single entry (`带一个朋友`) is no product; a product
        # is named twice, or in the header, or by every entry there is.
        count = sum(units.values())
        if count < 2 and label not in header_text and with_labels < len(parsed.entries):
            continue
        unit = _most_common(units)
        products.append(HeaderItem(_full_name(label, title_word), None, _per(unit), unit=unit))
    if not products and parsed.entries:
        products.append(_title_product(parsed, _most_common(loose)))
    return tuple(products)


def _with_header_lines(item: HeaderItem, parsed: ParsedChain) -> HeaderItem:
    """`南瓜（半个） 5元/份` then `共20份，先到先得` and `每人限购3份`: the only product has 20 of
    them, 3 a person."""
    per = item.spec.removeprefix("每")  # i18n-keep: stored spec grammar (`每份`)
    for line in (parsed.header.title, *parsed.header.description):
        norm = to_halfwidth(line)
        total = _TOTAL_RE.search(norm)
        if item.stock is None and total is not None and total.group(2) in (item.unit, per):
            item = replace(item, stock=int(total.group(1)))
        limit = _PER_PERSON_RE.search(norm)
        if item.limit is None and limit is not None and int(limit.group(1)):
            item = replace(item, limit=int(limit.group(1)))
    return item


def _title_product(parsed: ParsedChain, unit: str) -> HeaderItem:
    """One product named after the chain: `半个南瓜 等会送来 共20份` is 南瓜, 20 份."""
    header = parsed.header
    stock = None
    for line in (header.title, *header.description):
        total = _TOTAL_RE.search(to_halfwidth(line))
        if total is not None:
            stock, unit = int(total.group(1)), total.group(2)
            break
    name = _title_word(header.title)[:MAX_NAME] or _("接龙")
    return HeaderItem(name, None, _per(unit), stock=stock, unit=unit)


def _title_word(title: str) -> str:
    """The title's first word without the amount in front: `半个南瓜 等会送来` → `南瓜`."""
    words = title.split()
    name = words[0].strip(_NAME_TRIM) if words else ""
    amount = _LEAD_AMOUNT_RE.match(name)
    if amount is not None and amount.end() < len(name):
        name = name[amount.end() :].strip(_NAME_TRIM)
    return name


def _full_name(label: str, title_word: str) -> str:
    """The title's fuller name for a product the entries shorten: `消毒液` of `84消毒液`."""
    rest = title_word.replace(label, "", 1)
    if label in title_word and rest and rest.isascii() and rest.isalnum():
        return title_word[:MAX_NAME]
    return label[:MAX_NAME]


def _most_common(units: Counter[str]) -> str:
    named = Counter({unit: n for unit, n in units.items() if unit})
    return named.most_common(1)[0][0] if named else ""


def _per(unit: str) -> str:
    """The spec saying what the price is for: `每斤` (empty without a unit)."""
    return f"每{unit}" if unit else ""  # i18n-keep: stored spec, read back as the unit
