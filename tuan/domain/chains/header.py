"""Reading the header of a pasted chain: title, description, products with prices, deadline.

The header is what comes before the first entry. Product lines are the ones with a price
(`A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2`, `山茶油 68元`); they also give the catalogue
entries are read against when the chain is not known yet.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tuan.domain.shared.money import MoneyError, parse_money
from tuan.domain.shared.quantity import UNITS, CatalogItem
from tuan.domain.shared.text import is_emoji, to_halfwidth
from tuan.domain.shared.units import UNIT_PATTERN

# `¥89`, `¥19.90`, `¥1,299` (format_money writes thousands with commas).
_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,7}(?:\.\d{1,2})?)"
_HEAD_RE = re.compile(
    r"^\s*(?:(?P<code>[A-Za-z])\s*[.、:)]\s*|(?P<bare>[A-Z])\s+|\d{1,2}\s*[.、)]\s*|[-•·*●▪]+\s*"
    r"|\d\ufe0f?\u20e3\s*)"  # `1️⃣ 丹东草莓 ¥68`: a keycap numbers the products
)
_ORIGINAL_RE = re.compile(rf"\(?\s*原价\s*[:：]?\s*¥?\s*{_AMOUNT}\s*元?\s*\)?")
_PRICE_RE = re.compile(rf"¥\s*{_AMOUNT}|{_AMOUNT}\s*元")
# A menu line's price may be a bare number at its end (`A 赣南脐橙 10斤 49.9`, `B 苹果 5斤 35/箱`).
_BARE_PRICE_RE = re.compile(r"\s(\d{1,5}(?:\.\d{1,2})?)(?=\s*(?:/\S{1,2})?\s*$)")
_LIMIT_RE = re.compile(r"限(?!量)购?\s*(\d{1,4})")
_STOCK_RE = re.compile(r"(?:限量|库存|仅剩)\s*(\d{1,6})")
_SOLD_OUT = "已售罄"
# `38元一箱`, `¥45/箱`, `12元每斤`: what the price is for.
_PER_UNIT_RE = re.compile(rf"\s*(?:/|每|一)\s*({UNIT_PATTERN})")
# Words after a price that still belong to its product.
_TAIL_WORD_RE = re.compile(
    rf"^(?:(?:/|每|一)?(?:{UNIT_PATTERN})|[(（].*|原价.*|每人限.*|限.*|库存.*|已售罄|包邮)$"
)
# `A餐:宫保鸡丁+米饭`, `套餐一:…`: a short label, a colon, what it holds.
_LABEL_RE = re.compile(
    r"^(?P<label>(?P<letter>[A-Za-z](?=[^\x00-\x7f]))?[^\s:]{1,5})\s*:\s*(?P<what>\S.*)$"
)
# `周末烤鸭 68元/只`: when it is sold is no part of the product's name.
_WHEN_WORDS = "周末|本周|下周|今日|明日|今天|明天|今晚|明晚"
_WHEN_PREFIX_RE = re.compile(rf"^(?:{_WHEN_WORDS})\s*")
# Lines that say how many there are or how to buy, not what the chain is.
_NOT_TITLE_RE = re.compile(r"^\s*(?:一共|总共|共\s*\d|限量|仅剩|先到先得|每人限|数量有限)")
# A "name" that only says how much (`3斤装一盒 68元`): the product is the one the title names.
_MEASURE_ONLY_RE = re.compile(
    rf"^(?:[\d.]+|[一二两三四五六七八九十半])\s*(?:{UNIT_PATTERN}|kg|g|ml|l|克|千克|毫升|升)"
    rf"装?\s*(?:(?:/|每|一)?\s*(?:{UNIT_PATTERN}))?$",
    re.IGNORECASE,
)
# Words of a title that date it or call it a group buy, not name what it sells.
_TITLE_NOISE_RE = re.compile(
    rf"\d{{1,2}}\s*[月./]\s*\d{{1,2}}\s*[日号]?|(?:周|星期)[一二三四五六日天]|{_WHEN_WORDS}"
    r"|[#＃]?接龙|团购|预订|预售|开团|上新"
)
_DEADLINE_WORD_RE = re.compile(r"(?:截止|截单)(?:时间|下单|接龙)?")
_TIMEISH_RE = re.compile(r"\d|今|明|后天|周|星期")
# `3人成团 ¥79` (拼团: team size and team price); `已成团 4 个` and `…还差 1 人` only inform.
_TEAM_RE = re.compile(rf"(\d{{1,3}})\s*人\s*成团\s*[:：]?\s*(?:¥\s*{_AMOUNT}|{_AMOUNT}\s*元)")
# `自提：3号楼门口`, `自提时间：…`, or the time and place first: `周日上午9-11点 3号楼下自提`.
_PICKUP_RE = re.compile(r"^\s*自提|自提[。.!！]?\s*$")
_NAME_TRIM = " \t:：-—|｜,，、"
# The word that says "price" right before it (`五常大米 5kg 团购价¥89`): not the product's.
_PRICE_WORD_RE = re.compile(
    r"(?:团购价|活动价|秒杀价|直播价|特价|现价|售价|价格|单价|到手价|优惠价|会员价|团价|只要|仅需|仅售)"
    r"\s*[:：]?\s*$"
)
# The name of a price line that says only `团购价：…`: the product is the one the title names.
_TITLE_NAMES = "\x00"
# `🍊【赣南脐橙】产地直发🍊`: the brackets hold the product's name, the rest is a slogan.
_BRACKETED_NAME_RE = re.compile(r"【([^【】]{1,20})】")
# `规格：10斤/箱`, `原价：68元` on lines of their own, under a chain's only product.
_SPEC_LINE_RE = re.compile(r"^\s*(?:规格|产品规格)\s*[:：]\s*(?P<spec>\S.*?)\s*$")
_ORIGINAL_LINE_RE = re.compile(rf"^\s*原价\s*[:：]?\s*¥?\s*{_AMOUNT}\s*元?\s*(?:/\S{{1,2}})?\s*$")
# A line that only draws a rule (`--------`, `======`, `～～～`).
_RULE_RE = re.compile(r"[\s\-—–_=~～·.*#＃]+")
# A word listing what a kit holds (`橄榄油+亚麻籽油`, `牛排/鸡胸`): spec, not name.
_SPEC_LIST_RE = re.compile(r"\S[+＋/、*×]\S")


@dataclass(frozen=True)
class HeaderItem:
    """A product read from a header line.

    Attributes:
        name: Product name, e.g. `冷榨橄榄油`.
        price_cents: The price shown; None when the text gives none (the leader sets it later).
        spec: Spec such as `500ml`, or empty.
        original_price_cents: `原价`, if shown.
        limit: Per-person limit (`每人限2`), if shown.
        stock: `限量50` / `库存50` (0 for `已售罄`), if shown.
        code: One-letter menu code (`A`), or empty.
        line: 1-based line number.
        unit: The counting word entries use for it (`斤`), when read from the entries.
        team_size: 拼团 team size (`3人成团`), if shown.
        team_price_cents: 拼团 team price (`3人成团 ¥79`), if shown.
    """

    name: str
    price_cents: int | None
    spec: str = ""
    original_price_cents: int | None = None
    limit: int | None = None
    stock: int | None = None
    code: str = ""
    line: int = 0
    unit: str = ""
    team_size: int | None = None
    team_price_cents: int | None = None


@dataclass(frozen=True)
class ParsedHeader:
    """What the text says before its entries.

    Attributes:
        title: The first header line (after `#接龙` when that line has nothing else).
        description: The other header lines, products, deadline and pickup lines excepted.
        items: Products with prices.
        deadline: The time in the deadline line (`截止：…`, `今晚8点截单`), as written.
        pickup: The `自提…` lines, as written.
        example: The `例` lines, as written.
        deadline_line: The whole deadline line, as written.
    """

    title: str = ""
    description: tuple[str, ...] = ()
    items: tuple[HeaderItem, ...] = ()
    deadline: str = ""
    pickup: tuple[str, ...] = ()
    example: tuple[str, ...] = ()
    deadline_line: str = ""


def read_header(lines: list[tuple[int, str]], example: Iterable[str] = ()) -> ParsedHeader:
    """Sort header lines (line number, text) into title, products, deadline, pickup, description.

    The title is the first line that is not a product, deadline or pickup line.
    """
    texts: list[str] = []
    items: list[HeaderItem] = []
    deadline = deadline_line = ""
    pickup: list[str] = []
    for number, typed in lines:
        if not _RULE_RE.sub("", typed):
            continue  # a `#接龙` line with nothing after the tag, a `--------` rule
        # `📍自提：…`, `⏰截止：…`: the emoji in front says nothing the words do not (a title
        # or a description keeps it, as written).
        text = _undecorated(typed) or typed if is_emoji(typed.lstrip()[:1]) else typed
        norm = to_halfwidth(text)
        lead, found = parse_item_lines(text, number)
        deadline_match = _deadline_text(norm)
        if found:
            items.extend(found)
            if lead:
                texts.append(lead)  # `水果团 12月6日 砂糖橘 ¥38 …`: the title came first
            if not deadline and (after_price := _deadline_after_price(norm)):
                deadline = after_price  # `大米 ¥65 今晚10点截止`: the rest is the product
        elif deadline_match and not deadline:
            deadline, deadline_line = deadline_match, text
            word = _DEADLINE_WORD_RE.search(norm)
            lead = norm[: word.start()].strip(_NAME_TRIM) if word else ""
            if lead and lead != deadline_match and not texts:
                texts.append(lead)  # `本周团购 截止周四晚8点` opens the chain: its title
        elif _PICKUP_RE.search(norm):
            pickup.append(text)
        else:
            texts.append(typed)
    title, description = (texts[0], tuple(texts[1:])) if texts else ("", ())
    if _NOT_TITLE_RE.match(to_halfwidth(title)) and items:
        title, description = "", tuple(texts)  # `共20份，先到先得` under the product line
    items = [named for item in items if (named := _named_by_title(item, title)).name]
    if len(items) == 1:
        items[0], description = _details_below(items[0], description)
    return ParsedHeader(
        title, description, tuple(items), deadline, tuple(pickup), tuple(example), deadline_line
    )


def _named_by_title(item: HeaderItem, title: str) -> HeaderItem:
    """`新鲜草莓 丹东99红颜` then `3斤装一盒 68元`: the price line's product is the title's;
    so is that of `团购价：49.9元/箱` under `🍊赣南脐橙🍊 现摘现发`."""
    untitled = item.name == _TITLE_NAMES
    if not untitled and not _MEASURE_ONLY_RE.match(item.name.replace(" ", "")):
        return item
    words = _undecorated(_TITLE_NOISE_RE.sub(" ", to_halfwidth(title))).strip(_NAME_TRIM).split()
    bracketed = _BRACKETED_NAME_RE.search(title)
    if bracketed and _undecorated(bracketed.group(1)).strip():
        words = [_undecorated(bracketed.group(1)).strip()]
    if untitled:
        return replace(item, name=_undecorated(words[0]) if words else "")
    if not words:
        return item
    unit = item.unit or _trailing_unit(item.name)
    spec = " ".join((*words[1:], item.name, item.spec)).strip()
    return replace(item, name=words[0], spec=spec, unit=unit)


def _details_below(
    item: HeaderItem, description: tuple[str, ...]
) -> tuple[HeaderItem, tuple[str, ...]]:
    """A chain's only product with its `规格：…` and `原价：…` lines, which leave the
    description."""
    kept = []
    for text in description:
        norm = to_halfwidth(text)
        spec, original = _SPEC_LINE_RE.match(norm), _ORIGINAL_LINE_RE.match(norm)
        if spec and (not item.spec or item.spec == f"每{item.unit}"):  # i18n-keep: stored spec
            item = replace(item, spec=spec.group("spec"))
        elif original and item.original_price_cents is None:
            item = replace(item, original_price_cents=_cents(original.group(1)))
        else:
            kept.append(text)
    return item, tuple(kept)


def _trailing_unit(text: str) -> str:
    """The counting word a measure ends with (`3斤装一盒` → `盒`), or empty."""
    return next((unit for unit in sorted(UNITS, key=len, reverse=True) if text.endswith(unit)), "")


def _deadline_after_price(norm: str) -> str:
    """The deadline a product line ends with: `… ¥65 今晚10点截止`, `… 38元/箱 截止周四晚8点`."""
    word = _DEADLINE_WORD_RE.search(norm)
    prices = list(_PRICE_RE.finditer(norm, 0, word.start())) if word else []
    if word is None or not prices:
        return ""
    before = _PER_UNIT_RE.sub("", norm[prices[-1].end() : word.start()], count=1)
    for candidate in (before.strip(_NAME_TRIM), norm[word.end() :].strip(_NAME_TRIM)):
        if candidate and _TIMEISH_RE.match(candidate):
            return candidate
    return ""


def deadline_says_more(header: ParsedHeader) -> bool:
    """Whether the deadline line holds more than the deadline (`今晚8点截单 明天下午自提`)."""
    line = _DEADLINE_WORD_RE.sub(" ", to_halfwidth(header.deadline_line), count=1)
    return bool(line.replace(header.deadline, " ", 1).strip(_NAME_TRIM + "，。"))


def _deadline_text(norm: str) -> str:
    """The time in a deadline line: `截止：11-28 20:00`, `截单时间 明晚8点`, `今晚8点截单`."""
    match = _DEADLINE_WORD_RE.search(norm)
    if match is None:
        return ""
    before = norm[: match.start()].strip(_NAME_TRIM)
    after = norm[match.end() :].strip(_NAME_TRIM)
    if match.start() == 0 or not before:
        return after
    if _TIMEISH_RE.match(after) and not _TIMEISH_RE.match(before):
        return after  # `本周团购 截止周四晚8点`: the time follows the word
    if _TIMEISH_RE.search(before):
        return before
    return ""  # `本次接龙截止后统一配送`: words about the deadline, not one


def parse_item_lines(text: str, line: int = 0) -> tuple[str, list[HeaderItem]]:
    """The products of a header line, and the words before them that are not a product.

    One line may list several products (`砂糖橘 38元一箱 苹果 45元/箱`) and start with the
    chain's title (`阳光小区水果团 12月6日 砂糖橘 ¥38`); a single product keeps its name whole
    (`东北 大米 5kg ¥89`) unless the words before its name hold a date or a 团.
    """
    chunks = _product_chunks(to_halfwidth(text).strip())
    lead_words = ""
    price = _PRICE_RE.search(chunks[0])
    comma = chunks[0].rfind(",", 0, price.start()) if price else -1
    if comma > 0:  # `周三午餐接龙，A餐：宫保鸡丁+米饭 18元`: the words before the comma
        lead_words, chunks[0] = chunks[0][:comma].strip(_NAME_TRIM), chunks[0][comma + 1 :]
    items = [item for chunk in chunks if (item := parse_item_line(chunk, line))]
    if not items:
        return "", []
    if lead_words:
        return lead_words, items
    first = items[0]
    words = first.name.split()
    if first.code or len(words) < 2:
        return "", items
    lead = " ".join(words[:-1])
    if len(items) > 1 or any(ch.isdigit() for ch in lead) or "团" in lead:
        items[0] = replace(first, name=words[-1])
        return lead, items
    return "", items


def _product_chunks(norm: str) -> list[str]:
    """Cut a line after each price and what follows it (`一箱`, `/箱`, `每人限2`, `原价¥45`)."""
    # Prices that are not a product's: `原价¥45`, `3人成团 ¥79`.
    originals = [m.span() for r in (_ORIGINAL_RE, _TEAM_RE) for m in r.finditer(norm)]
    prices = [
        m for m in _PRICE_RE.finditer(norm)
        if not any(s <= m.start() < e for s, e in originals)
    ]  # fmt: skip
    if len(prices) < 2:
        return [norm]
    chunks, start = [], 0
    for price, following in itertools.pairwise(prices):
        cut = price.end()
        words = list(re.finditer(r"\S+", norm[cut : following.start()]))
        for word in words[:-1]:  # the last word before a price is always a name
            if not _TAIL_WORD_RE.match(word.group()):
                break
            cut = price.end() + word.end()
        if not norm[cut : following.start()].strip():
            return [norm]  # two prices for one product (`¥38 ¥45`): not a list
        chunks.append(norm[start:cut])
        start = cut
    chunks.append(norm[start:])
    return chunks


def parse_item_line(text: str, line: int = 0) -> HeaderItem | None:
    """Read `A. 冷榨橄榄油 500ml ¥89（原价¥128）每人限2 限量50`; None if the line has no price."""
    norm = to_halfwidth(text).strip()
    head = _HEAD_RE.match(norm)
    code = ""
    if head:
        code = (head.group("code") or head.group("bare") or "").upper()
        norm = norm[head.end() :]
    original_match = _ORIGINAL_RE.search(norm)
    original = _cents(original_match.group(1)) if original_match else None
    if original_match:
        norm = norm[: original_match.start()] + " " + norm[original_match.end() :]
    price_match = _PRICE_RE.search(norm) or (_BARE_PRICE_RE.search(norm) if code else None)
    if price_match is None:
        return None
    price = _cents(price_match.group(1) or price_match.group(2))
    before = norm[: price_match.start()]
    name, spec = _name_and_spec(_PRICE_WORD_RE.sub("", before))
    if not name and _PRICE_WORD_RE.search(before):
        name = _TITLE_NAMES  # `团购价：49.9元/箱` under `赣南脐橙`: `read_header` names it
    name = _WHEN_PREFIX_RE.sub("", name) if len(_WHEN_PREFIX_RE.sub("", name)) >= 2 else name
    labelled = _LABEL_RE.match(name)
    if labelled and not spec:  # `A餐:宫保鸡丁+米饭 18元`: the label names it, the rest says what
        name, spec = labelled.group("label"), labelled.group("what")
        if not code and labelled.group("letter"):
            code = labelled.group("letter").upper()
    if price is None or not name:
        return None
    tail = norm[price_match.end() :]
    team = _TEAM_RE.search(tail)
    size, team_price = (
        (int(team.group(1)), _cents(team.group(2) or team.group(3))) if team else (None, None)
    )
    if team is not None:
        tail = tail[: team.start()] + tail[team.end() :]
    per = _PER_UNIT_RE.match(tail)
    unit = per.group(1) if per else ""
    if unit and not spec:
        spec = f"每{unit}"  # i18n-keep: stored spec, read back as the unit
    return HeaderItem(name, price, spec, original, _limit(tail), _stock(tail), code, line,
                      unit=unit,
                      team_size=size if size and size >= 2 and team_price else None,
                      team_price_cents=team_price if size and size >= 2 else None)  # fmt: skip


def header_catalog(header: ParsedHeader) -> list[CatalogItem]:
    """The header's products as a catalogue; keys are names (name and spec when names repeat)."""
    return items_catalog(header.items)


def items_catalog(items: Iterable[HeaderItem]) -> list[CatalogItem]:
    """Products read from a text as a catalogue, keyed as `header_catalog` keys them."""
    items = tuple(items)
    names = [item.name for item in items]
    catalog = []
    for item in items:
        key = item.name if names.count(item.name) == 1 else f"{item.name} {item.spec}".strip()
        catalog.append(CatalogItem(key, item.name, item.spec, (), item.code))
    return catalog


def _name_and_spec(text: str) -> tuple[str, str]:
    """`冷榨橄榄油 500ml` → (`冷榨橄榄油`, `500ml`): a last word with a digit is the spec.

    Words before it that list contents belong to the spec too: `健康厨房入门套装
    橄榄油+亚麻籽油+山茶油 各100ml` is the 套装, whose spec names three oils.
    """
    words = _undecorated(text).strip(_NAME_TRIM).split()
    if len(words) >= 2 and any(ch.isdigit() for ch in words[-1]):
        start = len(words) - 1
        while start > 1 and (
            _SPEC_LIST_RE.search(words[start - 1]) or any(c.isdigit() for c in words[start - 1])
        ):
            start -= 1  # `公4两母3两 8只装` is one spec
        return _undecorated(" ".join(words[:start])).strip(_NAME_TRIM), " ".join(words[start:])
    return _undecorated(" ".join(words)).strip(_NAME_TRIM), ""


def _undecorated(text: str) -> str:
    """Without the emoji a post decorates its products with (`🔥有机小米`, `✨山茶油✨`)."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or is_emoji(text[start])):
        start += 1
    while end > start and (text[end - 1].isspace() or is_emoji(text[end - 1])):
        end -= 1
    return text[start:end]


def _cents(amount: str) -> int | None:
    try:
        return parse_money(amount)
    except MoneyError:
        return None


def _limit(tail: str) -> int | None:
    match = _LIMIT_RE.search(tail)
    return (int(match.group(1)) or None) if match else None


def _stock(tail: str) -> int | None:
    if _SOLD_OUT in tail:
        return 0
    match = _STOCK_RE.search(tail)
    return int(match.group(1)) if match else None
