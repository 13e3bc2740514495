"""Reading "item × quantity" from what people type: `套装×2`, `两瓶亚麻`, `B2`, `+1`.

One reader serves chain import and live order entry. It finds the catalogue's items (full name,
name with spec, alias, a distinctive part of the name such as `亚麻` for `冷榨亚麻籽油`, or the
one-letter menu code), the quantities around them (`x2` `×2` `*2` `2份` `两份` `三斤` `+1`), gives
each quantity to the item it belongs to, and hands back the text that is left: a name, a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tuan.domain.shared.item_names import (
    ITEM_MASK,
    NOTE_MASK,
    SEPARATORS,
    Catalog,
    CatalogItem,
    is_ascii_letter,
)
from tuan.domain.shared.text import (
    CN_NUMERAL_CHARS,
    cn_to_int,
    is_emoji,
    mask_spans,
    plain_signs,
    to_halfwidth,
)
from tuan.domain.shared.units import UNIT_PATTERN, UNITS

__all__ = ["FILLER_WORDS", "NOTE_STARTS", "UNITS", "Catalog", "CatalogItem", "ItemQty",
           "QtyReading", "read_quantities"]  # fmt: skip

#: Counting words that may follow a number. Weights such as `ml`/`g` are left out on purpose:
#: `500ml` is a spec, not "500 of something".

_BOUNDARY = frozenset(" \t()（）【】[]" + SEPARATORS + ITEM_MASK + NOTE_MASK)
# Trimmed off leftovers; a note keeps its closing `！` or `？`.
_TRIM = " \t,，、;；/+:：=-—_·"
_JOINERS = frozenset({"和", "还有", "及", "跟", "加", "以及"})
#: Words that say nothing when left alone: `王阿姨 要一个套装`, `套装和亚麻`.
FILLER_WORDS = _JOINERS | {"要", "我要", "再要"}
# `共3件` repeats the total of the items before it, `总计316` what it comes to: no item's.
_TOTAL_WORDS = ("共", "合计", "总计", "共计", "小计", "总价", "金额")
# Those that count pieces (`共2瓶`, `合计3件`, with a unit): after one product typed without a
# quantity (`橄榄油 共2瓶`) they say how many of it; `总价`, `金额` are always money.
_PIECE_TOTALS = ("一共", "总共", "共计", "合计", "总计", "共")  # the longer ones first
# A word glued to a quantity is taken as an unknown product (`牛奶两箱`) unless it reads as a note.
NOTE_STARTS = ("不要", "要", "备注", "请", "麻烦", "谢谢", "周", "明天", "今天", "送", "放",
                "自提", "取", "帮", "多", "给", "替")  # fmt: skip
# `带一个朋友`, `两位老人`: a count of people, not an order (`两个人` in a sign-up list still is).
_PEOPLE_WORDS = ("朋友", "同事", "邻居", "家人", "孩子", "小孩", "老人", "宝宝")
# Characters that, right before a number, make it part of a room, code, word or ordinal.
_NOT_BEFORE_NUMBER = frozenset("0123456789#_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ第")
# These too, when a digit comes before them: 3-1202, 10:30, 11/28, 3.5.
_NOT_BETWEEN_DIGITS = frozenset(".-/:")

# Brackets, `备注…`, and a mobile number, whole or masked (`138****1234`): a note, no quantity.
_MAYBE_PHONE = re.compile(r"1[3-9]\d[\d*]{8}").search
_MAYBE_MONEY = re.compile(r"[¥$元=]|RMB").search
_NOTE_RE = re.compile(
    r"\(([^()]*)\)|【([^【】]*)】|\[([^\[\]]*)\]|备注\s*[:：]?(.*)$"
    r"|(?<![\d*])(1[3-9]\d(?:\d{4}|\*{4})\d{4})(?![\d*])"
    # money typed beside the order (`¥198`, `259元`, `2瓶=198`): what it costs, not how many
    # (not `2元宵`)
    r"|((?:[¥$]|RMB)\s*\d+(?:\.\d{1,2})?|(?<![\d.])\d+(?:\.\d{1,2})?\s*元(?![\u4e00-\u9fff])"
    rf"|(?<=[0-9{''.join(u for u in UNITS if len(u) == 1)}])\s*=\s*\d+(?:\.\d{{1,2}})?)"
)
_QTY_RE = re.compile(
    r"(?:(?P<each>各)\s*)?(?:(?P<mark>[xX×*+])\s*)?"
    rf"(?:(?P<num>\d+(?:\.\d+)?)|(?P<cn>[{CN_NUMERAL_CHARS}]+))"
    rf"(?:\s?(?P<unit>{UNIT_PATTERN}))?"
)
_MAX_QTY = 999
# `数量2`, `份数：2`, `件数 2`: the number after the label is how many of the product before it.
_COUNT_LABEL_RE = re.compile(r"(?:数量|份数|件数)\s*[:：]?\s*(?=\d|[一二两三四五六七八九十])")
# Half a weight (`半斤`, `一斤半`, `2公斤半`): not a whole number of anything an order holds.
_HALF_WEIGHT_RE = re.compile(rf"(?:\d+|[{CN_NUMERAL_CHARS}]+)\s*(?:斤|公斤)半|半\s*(?:斤|公斤)")


@dataclass(frozen=True)
class ItemQty:
    """One "item × quantity" read from text.

    Attributes:
        item: The catalogue key, or None when the product is unknown or ambiguous.
        qty: How many (1 when a product is named without a number).
        unit: The counting word typed (`份`, `瓶`, `斤`), if any.
        label: The words that named the product, as typed (`亚麻`, `B`, `橙子`); may be empty.
    """

    item: str | None
    qty: int
    unit: str | None = None
    label: str = ""


@dataclass(frozen=True)
class QtyReading:
    """What `read_quantities` found.

    Attributes:
        items: Item × quantity, in the order they appear.
        lead: Leftover text before the first product or quantity (usually a name).
        rest: Every other leftover, bracketed and `备注` text included (usually a note).
        unclear: Quantities seen but not read, such as `1.5斤` (they stay in `rest` too).
    """

    items: tuple[ItemQty, ...]
    lead: str
    rest: str
    unclear: tuple[str, ...] = ()


@dataclass(slots=True)
class _Token:
    """A found product (`item=True`) or quantity in the working text."""

    start: int
    end: int
    item: bool
    key: str | None = None
    label: str = ""
    qty: int | None = None
    unit: str | None = None
    mark: bool = False
    each: bool = False
    taken: bool = False
    loose: bool = False  # a numeral after a space (`套装 二`): only a product's, else words
    total: bool = False  # `共2瓶`: how many in all (`_apply_totals`); its span covers the `共`


def read_quantities(text: str, catalog: Catalog | Iterable[CatalogItem] = ()) -> QtyReading:
    """Read item × quantity from one order's text.

    Args:
        text: What was typed, e.g. `王阿姨 套装×2 亚麻1 不要葱` (remove the room first).
        catalog: The items orders may name; a chain with one item takes a bare `2袋` as it.

    Returns:
        The items with quantities, and the leftover text split into lead (name) and rest (notes).
    """
    cat = catalog if isinstance(catalog, Catalog) else Catalog(catalog)
    text = plain_signs(text)  # in the notes cut from it too: a bare `️⃣` means nothing there
    norm = to_halfwidth(text)
    # Leftovers are cut from the text as typed (keeping `，` in notes) when positions agree.
    source = text if len(text) == len(norm) else norm
    if "数" in norm:  # `套装 数量2`, `份数：2`: a label that says "times", as `×` does
        norm = _COUNT_LABEL_RE.sub(lambda m: "×".ljust(len(m.group())), norm)
    work, notes = _mask_notes(norm, source)
    tokens = _item_tokens(work, cat)
    work = mask_spans(work, [(t.start, t.end) for t in tokens], ITEM_MASK)
    quantities, unclear = _qty_tokens(work)
    tokens = sorted(tokens + quantities, key=lambda t: t.start)
    _pair(tokens, work)
    if quantities and any(t.loose for t in quantities):
        tokens = [t for t in tokens if not t.loose or t.taken]
    tokens = _name_digits(tokens, work)
    if quantities and any(t.total for t in quantities):
        tokens = _apply_totals(tokens)
    labels = _label_loose(tokens, work, norm)
    found = [(t.start, t.end) for t in tokens] + labels
    first = min([start for start, _ in found]) if found else len(norm)
    covered = found + [(s, e) for s, e, _ in notes] if notes else found
    lead, rest = _leftovers(source, covered, first, notes)
    return QtyReading(_collect(tokens, cat), lead, rest, unclear)


def _mask_notes(norm: str, source: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Hide bracketed and `备注…` text; return the masked text and (start, end, note) spans."""
    if (
        "(" not in norm and "【" not in norm and "[" not in norm and "备注" not in norm
        and not _MAYBE_PHONE(norm) and not _MAYBE_MONEY(norm)
    ):  # fmt: skip
        return norm, []  # what every note starts with: most lines have none
    notes = []
    for match in _NOTE_RE.finditer(norm):
        group = next(n for n, g in enumerate(match.groups(), 1) if g is not None)
        notes.append((match.start(), match.end(), source[slice(*match.span(group))].strip()))
    return mask_spans(norm, [(s, e) for s, e, _ in notes], NOTE_MASK), notes


def _item_tokens(work: str, cat: Catalog) -> list[_Token]:
    return [_Token(m.start, m.end, True, m.key, m.label) for m in cat.find_products(work)]


def _qty_tokens(work: str) -> tuple[list[_Token], tuple[str, ...]]:
    """Quantities in the text, and the ones that look like quantities but cannot be counted."""
    tokens = []
    unclear = []
    for match in _QTY_RE.finditer(work):
        each, mark, num, cn, unit = match.groups()
        if num is not None and "." in num and (unit or mark):
            unclear.append(match.group().strip())  # 1.5斤: orders count whole items
            continue
        if num is not None and len(num) > 3 and mark and mark != "+":
            unclear.append(match.group().strip())  # ×99999: a quantity, but not a sane one
            continue
        if _negative(work, match.start()):
            unclear.append(work[match.start() - 1 : match.end()].strip())  # -1套装: not ×1
            continue
        tok = _qty_token(match, work, each is not None, mark, num, cn, unit)
        if tok is not None:
            tokens.append(tok)
    for half in _HALF_WEIGHT_RE.finditer(work):  # 半斤, 一斤半: orders count whole 斤
        unclear.append(half.group().strip())
        tokens = [t for t in tokens if t.end <= half.start() or t.start >= half.end()]
    return tokens, tuple(unclear)


def _qty_token(
    match: re.Match[str],
    work: str,
    each: bool,
    mark: str | None,
    num: str | None,
    cn: str | None,
    unit: str | None,
) -> _Token | None:
    """Validate one quantity candidate: `2`, `×2`, `两份`, `各1`; None if it is not one.

    The match's groups come read (`each` is whether `各` was there).
    """
    start, end = match.span()
    before = work[start - 1] if start > 0 else ""
    value: int | None
    if num is not None:
        if "." in num or len(num) > 3:
            return None  # 3.5公里, 1202: not quantities
        value = int(num)
    else:
        # `套装二`: a numeral glued to a product counts it, as `套装2` would (`王二` is a name);
        # so does one digit after a space (`套装 二`), not more (`套装 三三`: her nickname).
        glued = before == ITEM_MASK or (
            len(cn or "") == 1 and before.isspace() and work[:start].rstrip().endswith(ITEM_MASK)
        )
        value = cn_to_int(cn or "") if (mark or unit or each or glued) and before != "第" else None
        if value is None or value > _MAX_QTY:
            return None
    if mark in ("x", "X") and is_ascii_letter(before):
        return None
    if not mark and not each and _joined_to_something(work, start):
        return None
    if not (mark or unit or each) and not _free_after(work, end):
        return None  # 2号, 3点, 10月: not quantities
    if _counts_people(work, end):
        return None
    if unit == "单" and work[end : end + 1] == "元":
        return None  # `2单元` is a stairwell, not two orders
    said = work[:start].rstrip()
    if said.endswith(_TOTAL_WORDS):
        word = next((w for w in _PIECE_TOTALS if said.endswith(w)), None)
        if word is None or not unit or mark:
            return None
        # Taken until `_apply_totals` says whose it is: never paired as a product's own.
        start = len(said) - len(word)
        return _Token(start, end, False, qty=value, unit=unit, total=True, taken=True)
    loose = num is None and not (mark or unit or each) and before != ITEM_MASK
    return _Token(start, end, False, qty=value, unit=unit, mark=bool(mark), each=each, loose=loose)


def _counts_people(work: str, end: int) -> bool:
    return work[end:].lstrip().startswith(_PEOPLE_WORDS)


def _negative(work: str, start: int) -> bool:
    """Whether a minus sign stands right before the number (not a room's or range's dash)."""
    if start == 0 or work[start - 1] != "-":
        return False
    return not (start > 1 and work[start - 2].isdigit())


def _joined_to_something(work: str, start: int) -> bool:
    """Whether the number at `start` continues a room, time, date or word (`3-1202`, `Lily2`)."""
    before = work[start - 1] if start > 0 else ""
    if before in _NOT_BETWEEN_DIGITS:
        return start > 1 and work[start - 2].isdigit()
    return bool(before) and before in _NOT_BEFORE_NUMBER


def _free_after(work: str, i: int) -> bool:
    """Whether a bare number ends here: at the end, a space, a separator or a product."""
    if i >= len(work):
        return True
    if work[i] in "/:":
        return not work[i + 1 : i + 2].isdigit()  # 11/28 is a date, 10:30 a time
    char = work[i]
    # `橄榄油2✅`, `2🙏`: an emoji or symbol ends the number as a space would.
    return (char in _BOUNDARY or char.isspace() or char in _JOINERS
            or is_emoji(char))  # fmt: skip


def _pair(tokens: list[_Token], work: str) -> None:
    """Give each quantity to the product beside it; see `_target` for who wins.

    Quantities glued to a product (or marked `×2`) pair first, so one with a space cannot take
    a product that has its own: in `小王12 套装1`, 1 is the 套装's and 12 is left to the name.
    """
    for glued_only in (True, False):
        if glued_only is False and all(tok.item or tok.taken for tok in tokens):
            return  # every quantity found its product in the first pass
        for i, tok in enumerate(tokens):
            if tok.item or tok.taken:
                continue
            if tok.each:
                if glued_only:
                    _give_each(tokens, i)
                continue
            target = _target(tokens, i, work, glued_only)
            if target is not None:
                target.qty, target.unit, tok.taken = tok.qty, tok.unit, True


def _target(tokens: list[_Token], i: int, work: str, glued_only: bool = False) -> _Token | None:
    """The product a quantity belongs to, or None.

    `套装×2` always goes left. Otherwise a quantity glued to a product wins over one with a space
    (`三斤橙子 两斤猕猴桃`: 两斤 is glued to 猕猴桃), and with spaces on both sides the product
    before it wins (`套装 2份 亚麻 1份`) unless `glued_only`.
    """
    tok = tokens[i]
    # `橄榄油：2`, `橄榄油=2`: the sign says the number is the product's, as `×` does; and
    # `橄榄油（大瓶）×2`, `橄榄油 ¥89×2`: a note between does not part a marked one from it.
    start = tokens[i - 1].end if i > 0 else 0
    prev = _free_item(tokens, i - 1, work, start, tok.start, signs=":=", notes=tok.mark)
    if prev is not None and (tok.mark or prev.end == tok.start):
        return prev
    nxt = _free_item(
        tokens, i + 1, work, tok.end, tokens[i + 1].start if i + 1 < len(tokens) else 0
    )
    if nxt is not None and nxt.start == tok.end:
        return nxt
    return None if glued_only or tok.mark else prev or nxt


def _free_item(
    tokens: list[_Token],
    j: int,
    work: str,
    gap_start: int,
    gap_end: int,
    signs: str = "",
    *,
    notes: bool = False,
) -> _Token | None:
    """Token j if it is a product still without a quantity and only spaces (or one of `signs`;
    with `notes`, notes too) lie between."""
    if not 0 <= j < len(tokens):
        return None
    tok = tokens[j]
    if not tok.item or tok.qty is not None:
        return None
    gap = work[gap_start:gap_end] if gap_end > gap_start else ""
    gap = (gap.replace(NOTE_MASK, "") if notes else gap).strip()
    return tok if not gap or (len(gap) == 1 and gap in signs) else None


def _apply_totals(tokens: list[_Token]) -> list[_Token]:
    """`橄榄油 共2瓶`: a total after one product typed without a quantity, and nothing else
    counted since, is how many of it; the only total on a line with nothing else counted
    (`王阿姨 共2套`) is a quantity like `2套`. Otherwise (`套装1 亚麻2 共3件`, `橘子3 共3件`) it
    only repeats what came before: dropped here, it stays in the note as typed."""
    kept: list[_Token] = []
    since = 0
    for i, tok in enumerate(tokens):
        if not tok.total:
            kept.append(tok)
            continue
        before = tokens[since:i]
        since = i + 1
        products = [t for t in before if t.item]
        counted = [t for t in before if not t.item and not t.taken]  # unknown products' amounts
        if len(products) == 1 and products[0].qty is None and not counted:
            products[0].qty, products[0].unit = tok.qty, tok.unit
            kept.append(tok)
        elif len(tokens) == 1:  # nothing else read on the line
            tok.taken = False
            kept.append(tok)
    return kept


def _give_each(tokens: list[_Token], i: int) -> None:
    """`橄榄油、亚麻籽油各1`: the quantity goes to every product listed just before it."""
    j = i - 1
    while j >= 0 and tokens[j].item and tokens[j].qty is None:
        tokens[j].qty, tokens[j].unit = tokens[i].qty, tokens[i].unit
        tokens[i].taken = True
        j -= 1


def _name_digits(tokens: list[_Token], work: str) -> list[_Token]:
    """`小王12 套装1`: a bare number glued to the first word ends the name, not a quantity, when
    nothing took it and the line has products or quantities of its own (`王阿姨2` alone is 2).
    """
    first = tokens[0] if len(tokens) > 1 else None
    if first is None or first.item or first.taken or first.mark or first.unit or first.each:
        return tokens
    start = first.start
    while start > 0 and _word_char(work[start - 1]):
        start -= 1
    if start == first.start or work[:start].strip():
        return tokens
    return tokens[1:]


def _label_loose(tokens: list[_Token], work: str, norm: str) -> list[tuple[int, int]]:
    """Name the product of quantities no known item took: `牛奶两箱`, `三斤橙子`.

    The first word before any product is the person's name (`陈晨3盒`), never a product.
    """
    loose = [tok for tok in tokens if not (tok.item or tok.taken)]
    if not loose:
        return []
    first = min(t.start for t in tokens)
    name_start = next((k for k in range(first) if _word_char(work[k])), -1)
    spans: list[tuple[int, int]] = []
    chars = list(work)
    for tok in tokens:  # `2份+1份`: the 份 of the first quantity names nothing for the second
        end = tok.end
        if tok.unit and end < len(work) and _word_char(work[end]):
            end -= len(tok.unit)  # `×2 套装x1`: that 套 starts the word 套装, it may name it
        chars[tok.start : end] = ITEM_MASK * (end - tok.start)
    for tok in loose:
        if tok.total:
            continue  # `8号楼共3件`: what comes before a total is not a product's name
        span = _glued_word(chars, tok, name_start)
        if span is not None:
            tok.label = norm[span[0] : span[1]]
            chars[span[0] : span[1]] = ITEM_MASK * (span[1] - span[0])
            spans.append(span)
    return spans


def _glued_word(chars: list[str], tok: _Token, name_start: int) -> tuple[int, int] | None:
    start = tok.start
    while start > 0 and _word_char(chars[start - 1]):
        start -= 1
    if start < tok.start and start != name_start and not _note_like(chars, start, tok.start):
        return start, tok.start
    if tok.unit:
        end = tok.end
        while end < len(chars) and _word_char(chars[end]):
            end += 1
        if end > tok.end and not _note_like(chars, tok.end, end):
            return tok.end, end
    return None


def _word_char(ch: str) -> bool:
    return not (ch in _BOUNDARY or ch.isspace() or ch.isdigit() or ch in CN_NUMERAL_CHARS)


def _note_like(chars: list[str], start: int, end: int) -> bool:
    return "".join(chars[start:end]).startswith(NOTE_STARTS)


def _collect(tokens: list[_Token], cat: Catalog) -> tuple[ItemQty, ...]:
    """Products with their quantities (1 when none was typed), and quantities left over."""
    named = {t.key for t in tokens if t.item}
    found: list[ItemQty] = []
    for tok in tokens:
        if tok.item:
            found.append(ItemQty(tok.key, 1 if tok.qty is None else tok.qty, tok.unit, tok.label))
        elif not tok.taken:
            # A bare `2袋` in a one-item chain means that item, and `两套` the only item sold by
            # the 套; otherwise the leader must say.
            key = None if named or tok.label else cat.sole_key
            if key is None and tok.unit and not tok.label:
                key = cat.unit_key(tok.unit)
                key = None if key in named else key
            found.append(ItemQty(key, tok.qty or 0, tok.unit, tok.label))
    return _merge_same(found)


def _merge_same(found: list[ItemQty]) -> tuple[ItemQty, ...]:
    """`B×1 … B×1` is B×2: one line per known item."""
    if len(found) < 2:
        return tuple(found)
    merged: dict[object, ItemQty] = {}
    for n, line in enumerate(found):
        slot: object = line.item if line.item is not None else n
        if slot in merged:
            old = merged[slot]
            merged[slot] = ItemQty(old.item, old.qty + line.qty, old.unit, old.label)
        else:
            merged[slot] = line
    return tuple(merged.values())


def _leftovers(
    source: str, covered: list[tuple[int, int]], first: int, notes: list[tuple[int, int, str]]
) -> tuple[str, str]:
    """Split the uncovered text into the lead (before the first product) and the rest."""
    lead: list[str] = []
    pieces: list[tuple[int, str]] = [(start, text) for start, _, text in notes]
    position = 0
    covered.sort()
    covered.append((len(source), len(source)))
    for start, end in covered:
        if start > position:
            if position < first:
                lead.append(source[position:start])
            else:
                pieces.append((position, source[position:start]))
        if end > position:
            position = end
    if notes:  # without them, pieces come in order already
        pieces.sort()
    return _clean_join(lead), _clean_join([text for _, text in pieces])


def _clean_join(pieces: Iterable[str]) -> str:
    kept = [p.strip(_TRIM) for p in pieces]
    return " ".join([p for p in kept if p and p not in FILLER_WORDS])
