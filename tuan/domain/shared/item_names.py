"""Every way the items of a chain can be named: full name, name with spec, alias, a distinctive
part of the name (`亚麻` for `冷榨亚麻籽油`) and the one-letter menu code (`A`, `B`); where the
leader types (entry form, live mode) also the pinyin initials of a name or short name glued to a
quantity (`tz2` for 套装×2, `gly×1` for 橄榄油).

The index is built once per catalogue and scanned left to right, longest name first, so reading
a 1,000-entry chain stays fast.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from tuan.domain.shared.text import CN_NUMERAL_CHARS, mask_spans, to_halfwidth
from tuan.domain.shared.units import UNITS

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
#: Written over a product already found, so later rules can see "right after a product".
ITEM_MASK = "\ue000"
#: Written over bracketed or `备注` text, which is a note and never read for products.
NOTE_MASK = "\ue001"
#: Characters that separate products on a line (`套装2，亚麻1`).
SEPARATORS = ",，、;；/+。!！?？~～:："
# After an upper-case menu code: `B2`, `B×2`, `B，`, `B 鸡胸`, `A、C各1`, `A一份` (not `A姐`).
_CODE_FOLLOWERS = frozenset(
    " \t()（）【】[]×*xX0123456789各一二两三四五六七八九十" + SEPARATORS + ITEM_MASK + NOTE_MASK
)
#: Short names are looked for only in names up to this long, and are at most `MAX_PART` long.
MAX_NAME_FOR_PARTS, MAX_PART = 30, 12
#: A short name may run on past a name part by at most this many characters (`芝麻` + `粉`).
MAX_SKIPPED_TAIL = 4
# Last characters that say what kind of thing, not which: 装 of 礼盒装, 子 of 橘子, and the
# counting words, which `unit_key` reads.
_NOT_HEADS = frozenset("装子儿" + "".join(unit for unit in UNITS if len(unit) == 1))
# Fruit named by one character that people say with 子: 砂糖橘 → 橘子, 水蜜桃 → 桃子.
_FRUIT_WITH_ZI = frozenset("橘桔桃梨李柿橙枣杏栗")
# A lone letter; after a code and its quantity too (`A1B1`, `A2B10`, `b2c1`).
_CODE_RE = re.compile(r"(?:(?<![A-Za-z0-9])|(?<=[A-Za-z]\d)|(?<=[A-Za-z]\d\d))[A-Za-z](?![A-Za-z])")
_HAS_LETTER = re.compile(r"[A-Za-z]").search
_HAS_NUMERAL = re.compile(f"[{CN_NUMERAL_CHARS}]").search
# `1号2`, `3号×1`, `2号 两份`: a listed product by its number, then how many.
_NUMBER_REF_RE = re.compile(
    r"(?<![0-9])([1-9][0-9]?)\s?号(?=\s*[×xX*]?\s*[0-9一二两三四五六七八九十])"
)
# Codes run together before 各 (`AB各一`, `ACD各1`): each letter is a product (not `ABC 各1`,
# where the room between was her nickname's).
_CODE_RUN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,4}(?=各)")
_HAS_UPPER = re.compile(r"[A-Z]").search
# Pinyin initials glued to a quantity: `tz2`, `gly×2`, `tzx2` (the x is "times").
_INITIALS_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,9}(?=[0-9×*])")
# A spec typed after a product (`亚麻籽油500ml×2`) belongs to it, and so does the ×2 after it.
_SPEC_RE = re.compile(r"\s*\d+(?:\.\d+)?\s*(?:ml|毫升|l|升|kg|千克|g|克|斤装)(?![A-Za-z])", re.I)


@dataclass(frozen=True)
class CatalogItem:
    """One item that orders can name.

    Attributes:
        key: What readings return for this item (the caller's id or name).
        name: Full name, e.g. `冷榨亚麻籽油`.
        spec: Spec such as `250ml`; `name + spec` is recognised too.
        aliases: Short names the leader set, e.g. `("亚麻",)`.
        code: One-letter menu code (`A`, `B`), or empty.
    """

    key: str
    name: str
    spec: str = ""
    aliases: tuple[str, ...] = ()
    code: str = ""


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """A product named in a text: `text[start:end]` (the `label`) names the item `key`."""

    start: int
    end: int
    key: str
    label: str


class Catalog:
    """Every way a set of items can be named, compiled once for fast scanning."""

    def __init__(self, items: Iterable[CatalogItem] = (), *, initials: bool = False) -> None:
        """Index the items' names, specs, aliases, distinctive name parts and codes.

        With `initials`, the pinyin initials of a name or short name glued to a quantity name
        the item too (`tz2`): for what the leader types, not for pasted chains, where `Lily2` is
        a neighbour.
        """
        self.items: tuple[CatalogItem, ...] = tuple(items)
        self.with_initials = initials
        self._terms = _build_terms(self.items)
        self._pattern = _terms_pattern(self._terms)
        self._codes = {
            item.code.strip().upper(): item.key for item in self.items if _is_code(item.code)
        }
        self._units: dict[str, str | None] = {}
        # Products without letter codes are numbered in the order listed (`1、东北五常大米`).
        self._numbered = len(self.items) > 1 and not self._codes
        self._names = [(item.key, _norm_term(item.name)) for item in self.items]
        self._name_of = dict(self._names)

    @property
    def sole_key(self) -> str | None:
        """The key of the only item, when there is exactly one (it takes bare quantities)."""
        return self.items[0].key if len(self.items) == 1 else None

    def unit_key(self, unit: str) -> str | None:
        """The key of the only item sold by this counting word, if exactly one is.

        An item is sold by `套` when its name ends in it (`健康厨房入门套装`, `…礼盒`) or its spec
        names it as the unit (`1套`, `12瓶/箱`, `每袋`), so `两套` in a chain with one 套装 is 2
        of it.
        """
        if unit not in self._units:
            keys = {item.key for item in self.items if _sold_by(item, unit)}
            self._units[unit] = next(iter(keys)) if len(keys) == 1 else None
        return self._units[unit]

    def code_key(self, letter: str) -> str | None:
        """The key of the item with this one-letter code (any case), if any."""
        return self._codes.get(letter.upper())

    def initials_key(self, letters: str) -> str | None:
        """The key of the only item whose name or a short name has these pinyin initials."""
        return self._initials.get(letters.lower())

    @functools.cached_property
    def _initials(self) -> dict[str, str]:
        """Initials (two letters or more) → key, for initials only one item has (`tz`, `gly`)."""
        from tuan.domain.shared.people import pinyin_initials  # pypinyin: only when asked

        owners: dict[str, set[str]] = {}
        for item in self.items:
            for term in (item.name, *item.aliases):
                letters = pinyin_initials(term)
                if 2 <= len(letters) <= 9 and letters.isalpha():
                    owners.setdefault(letters, set()).add(item.key)
        return {letters: keys.pop() for letters, keys in owners.items() if len(keys) == 1}

    @functools.cached_property
    def _heads(self) -> tuple[re.Pattern[str], dict[str, str]] | None:
        """The last character of a name that only one item ends with (葱 of 山东大葱, 米 of
        东北五常大米), standing alone and glued to a quantity: `葱1捆`, `米2`, `，梨两个`."""
        owners: dict[str, set[str]] = {}
        for key, name in self._names:
            if len(name) > 1 and _is_cjk(name[-1]) and name[-1] not in _NOT_HEADS:
                owners.setdefault(name[-1], set()).add(key)
        keys = {ch: owner.pop() for ch, owner in owners.items() if len(owner) == 1}
        if not keys:
            return None
        chars = "".join(sorted(keys))
        before, after = f"(?:^|(?<=[\\s{SEPARATORS}]))", f"(?=[\\d×*{CN_NUMERAL_CHARS}])"
        return re.compile(f"{before}[{chars}]{after}"), keys

    def _head_matches(self, text: str, found: list[ItemMatch]) -> list[ItemMatch]:
        if self._heads is None:
            return found
        pattern, keys = self._heads
        masked = mask_spans(text, [(m.start, m.end) for m in found], ITEM_MASK) if found else text
        extra = [
            ItemMatch(m.start(), m.end(), keys[m.group()], m.group())
            for m in pattern.finditer(masked)
        ]
        return sorted(found + extra, key=lambda m: m.start) if extra else found

    def _initials_matches(self, text: str, found: list[ItemMatch]) -> list[ItemMatch]:
        """Products named by pinyin initials glued to a quantity (`tz2`, `gly×1`, `tzx2`)."""
        masked = mask_spans(text, [(m.start, m.end) for m in found], ITEM_MASK)
        extra = []
        for run in _INITIALS_RE.finditer(masked):
            start, end = run.span()
            key = self.initials_key(run.group())
            if key is None and run.group()[-1] in "xX" and masked[end : end + 1].isdigit():
                end -= 1  # `tzx2`: tz, times two
                key = self.initials_key(masked[start:end])
            if key is not None and end - start >= 2:
                extra.append(ItemMatch(start, end, key, text[start:end]))
        return sorted(found + extra, key=lambda m: m.start) if extra else found

    def find_products(self, text: str) -> list[ItemMatch]:
        """Products named in half-width `text`, in order: names and aliases, then menu codes.

        `B 鸡胸` (a code and its own item's name) is one product; a spec right after a product
        (`500ml`) is part of it, and so are the characters of a short name that skips some of
        the name's (`芝麻粉` for `黑芝麻核桃粉`).
        """
        found = self._matches(text)
        size = len(text)
        for n, match in enumerate(found):
            after = text[match.end] if match.end < size else ""
            if after and _is_cjk(after) and after not in CN_NUMERAL_CHARS:
                limit = found[n + 1].start if n + 1 < len(found) else size
                found[n] = self._skipping(match, text, limit)
        if found and _HAS_NUMERAL(text):
            found = self._numerals_before(text, found)
        if self._numbered and "号" in text:
            found = self._numbered_matches(text, found)
        # Most lines have no Latin letter, so no menu code: skip masking and scanning for one.
        if self._codes and _HAS_LETTER(text):
            masked = mask_spans(text, [(m.start, m.end) for m in found], ITEM_MASK)
            for code in _CODE_RE.finditer(masked):
                key = self.code_key(code.group())
                if key is not None and _code_context(masked, code.start(), code.end()):
                    found.append(ItemMatch(code.start(), code.end(), key, code.group()))
            for run in _CODE_RUN_RE.finditer(masked):
                found += self._code_run(run.group(), run.start())
            found.sort(key=lambda m: m.start)
        if self._heads is not None:
            found = self._head_matches(text, found)
        if self.with_initials and _HAS_LETTER(text):
            found = self._initials_matches(text, found)
        merged = _merge_codes(found, text) if len(found) > 1 else found
        return [_with_spec(match, text, size) for match in merged]

    def _numbered_matches(self, text: str, found: list[ItemMatch]) -> list[ItemMatch]:
        """`1号2 3号1`: the products by their number in the list, when a quantity follows
        (`3号楼`, a lone `3号`: a building, a house)."""
        taken = [(m.start, m.end) for m in found]
        for ref in _NUMBER_REF_RE.finditer(text):
            number = int(ref.group(1))
            clear = all(ref.end() <= a or ref.start() >= b for a, b in taken)
            if clear and 1 <= number <= len(self.items):
                found.append(ItemMatch(*ref.span(), self.items[number - 1].key, ref.group()))
        return sorted(found, key=lambda m: m.start)

    def _numerals_before(self, text: str, found: list[ItemMatch]) -> list[ItemMatch]:
        """`五常大米` for `东北五常大米`: a numeral that starts the part of the name typed is the
        name's, not a quantity (it was `常大米` and a note `五`)."""
        names = self._name_of
        grown = []
        floor = 0
        for match in found:
            start = match.start
            while start > floor and text[start - 1] in CN_NUMERAL_CHARS:
                start -= 1
            for begin in range(start, match.start):
                word = text[begin : match.end]
                if _norm_term(word) in names.get(match.key, ""):
                    match = ItemMatch(begin, match.end, match.key, word)
                    break
            grown.append(match)
            floor = match.end
        return grown

    def _code_run(self, letters: str, start: int) -> list[ItemMatch]:
        """`AB` of `AB各一` as one product per letter, when each is a different item's code."""
        keys = [self.code_key(letter) for letter in letters]
        if None in keys or len(set(keys)) < len(keys):
            return []
        return [
            ItemMatch(start + i, start + i + 1, key or "", letter)
            for i, (key, letter) in enumerate(zip(keys, letters, strict=True))
        ]

    def _skipping(self, match: ItemMatch, text: str, limit: int) -> ItemMatch:
        """The match grown over the Chinese characters glued after it while the whole still
        names its item, and only it, with characters skipped: `芝麻` + `粉` in `芝麻粉×2`.
        """
        end, limit = match.end, min(limit, match.end + MAX_SKIPPED_TAIL)
        while end < limit and _is_cjk(text[end]) and text[end] not in CN_NUMERAL_CHARS:
            end += 1
        for stop in range(end, match.end, -1):
            word = text[match.start : stop]
            owners = {key for key, name in self._names if _in_order(word, name)}
            if owners == {match.key}:
                return ItemMatch(match.start, stop, match.key, word)
        return match

    def _matches(self, text: str) -> list[ItemMatch]:
        """Non-overlapping matches of item names in half-width `text`."""
        if self._pattern is None:
            return []
        terms = self._terms
        if not _HAS_UPPER(text):  # the terms are lower-case; most lines have no capital
            return [ItemMatch(*m.span(), terms[m[0]], m[0]) for m in self._pattern.finditer(text)]
        lowered = text.translate(ASCII_LOWER)
        return [
            ItemMatch(*m.span(), terms[m[0]], text[m.start() : m.end()])
            for m in self._pattern.finditer(lowered)
        ]


def _in_order(word: str, name: str) -> bool:
    """Whether every character of `word` is in `name`, in order (`芝麻粉` in `黑芝麻核桃粉`)."""
    rest = iter(name)
    return all(ch in rest for ch in word)


def _sold_by(item: CatalogItem, unit: str) -> bool:
    """Whether the item's name ends in the counting word (or in it + 装) or its spec is per it."""
    name, spec = _norm_term(item.name), _norm_term(item.spec).replace(" ", "")
    if name.endswith((unit, unit + "装")):
        return True
    return (
        spec in (unit, f"1{unit}", f"一{unit}")
        or spec.endswith(f"/{unit}")
        or spec.startswith(f"每{unit}")
    )


def _code_context(text: str, start: int, end: int) -> bool:
    """Whether a lone letter reads as a menu code: `B2`, `B×2`, `B 鸡胸`, `b×2`, `…A` at the end."""
    letter = text[start]
    nxt = text[end:].lstrip(" ")[:1]
    if letter in "xX" and nxt.isdigit():
        return False  # `x2` is "times two"
    if letter.isupper():
        if nxt.isupper() and nxt != text[end : end + 1]:
            # `A C 各1`: another lone capital after a space is the next code (not `A Chen`).
            after = text[end:].lstrip(" ")
            return not (len(after) > 1 and is_ascii_letter(after[1]))
        return not nxt or nxt in _CODE_FOLLOWERS
    return text[end : end + 1].isdigit() or text[end : end + 1] in ("×", "*", ITEM_MASK)


def _merge_codes(found: list[ItemMatch], text: str) -> list[ItemMatch]:
    """`B 鸡胸`: a code followed by its own item's name is one product, not two."""
    merged: list[ItemMatch] = []
    for match in found:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.key == match.key
            and not text[prev.end : match.start].strip()
            and (len(prev.label) == 1 or len(match.label) == 1)
        ):
            merged[-1] = ItemMatch(prev.start, match.end, match.key, text[prev.start : match.end])
        else:
            merged.append(match)
    return merged


def _with_spec(match: ItemMatch, text: str, size: int) -> ItemMatch:
    if match.end >= size or not (text[match.end].isdigit() or text[match.end].isspace()):
        return match  # a spec starts with a space or a digit
    spec = _SPEC_RE.match(text, match.end)
    return replace(match, end=spec.end()) if spec else match


def _terms_pattern(terms: dict[str, str]) -> re.Pattern[str] | None:
    """One alternation of every term, longest first so `亚麻籽油` wins over `亚麻` at a place.

    A term that starts or ends with a Latin letter must not cut a word (`oil` in `boil`).
    """
    pieces = []
    for term in sorted(terms, key=len, reverse=True):
        piece = re.escape(term)
        if is_ascii_letter(term[0]):
            piece = r"(?<![a-z])" + piece
        if is_ascii_letter(term[-1]):
            piece += r"(?![a-z])"
        pieces.append(piece)
    return re.compile("|".join(pieces)) if pieces else None


def _build_terms(items: tuple[CatalogItem, ...]) -> dict[str, str]:
    """Map each lower-cased name, alias and distinctive name part to its item's key."""
    exact: dict[str, set[str]] = {}
    parts: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}  # parts that end a name: what the item is (油 of 冷榨橄榄油)
    for item in items:
        for term in _exact_terms(item):
            exact.setdefault(term, set()).add(item.key)
        name = _norm_term(item.name)
        for term in _name_parts(name):
            parts.setdefault(term, set()).add(item.key)
            if name.endswith(term):
                heads.setdefault(term, set()).add(item.key)
        if name[-1:] and name[-1] in _FRUIT_WITH_ZI and len(name) > 1:
            spoken = name[-1] + "子"  # 砂糖橘 is what people call 橘子
            parts.setdefault(spoken, set()).add(item.key)
            heads.setdefault(spoken, set()).add(item.key)
    # A part two items share (冷榨 in 冷榨橄榄油 and 冷榨亚麻籽油) names neither of them, unless
    # it ends only one of the names: 橄榄油 is the 冷榨橄榄油, not the 橄榄油+亚麻籽油套装.
    terms = {}
    for term, keys in parts.items():
        if len(keys) == 1 or len(heads.get(term, ())) == 1:
            terms[term] = next(iter(keys)) if len(keys) == 1 else next(iter(heads[term]))
    for term, keys in exact.items():
        if len(keys) == 1:
            terms[term] = next(iter(keys))
        else:
            terms.pop(term, None)
    return terms


def _norm_term(text: str) -> str:
    return " ".join(to_halfwidth(text).translate(ASCII_LOWER).split())


def _exact_terms(item: CatalogItem) -> set[str]:
    name, spec = _norm_term(item.name), _norm_term(item.spec)
    terms = {name, *(_norm_term(alias) for alias in item.aliases)}
    if spec:
        terms |= {f"{name}{spec}", f"{name} {spec}"}
    return {term for term in terms if term}


def _name_parts(name: str) -> set[str]:
    """Substrings of a name that could be a short name: `亚麻`, `麻籽油` from `冷榨亚麻籽油`."""
    parts: set[str] = set()
    if len(name) > MAX_NAME_FOR_PARTS:
        return parts  # not a product name people shorten (a pasted paragraph with a price)
    for start in range(len(name)):
        for end in range(start + 2, min(start + MAX_PART, len(name)) + 1):
            part = name[start:end]
            if part != name and _usable_part(name, part, start, end):
                parts.add(part)
    return parts


def _usable_part(name: str, part: str, start: int, end: int) -> bool:
    if any(ch.isspace() or ch.isdigit() for ch in part) or part[0] in CN_NUMERAL_CHARS:
        return False
    if not any(_is_cjk(ch) for ch in part):
        return False
    return _word_bounded(name, start, end)


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _word_bounded(text: str, start: int, end: int) -> bool:
    """False when the match would cut a Latin word in two (`oil` inside `boil`)."""
    if start > 0 and is_ascii_letter(text[start]) and is_ascii_letter(text[start - 1]):
        return False
    return not (end < len(text) and is_ascii_letter(text[end - 1]) and is_ascii_letter(text[end]))


def _is_code(code: str) -> bool:
    code = code.strip()
    return len(code) == 1 and is_ascii_letter(code)


def is_ascii_letter(ch: str) -> bool:
    """True for `a`–`z` and `A`–`Z` only (not for Chinese, which `str.isalpha` accepts)."""
    return ch.isascii() and ch.isalpha()


def product_key(name: str) -> str:
    """A product's name as matched across chains (`入门套装` in chain 71 is the one in 72):
    half-width, lower-case, single spaces, as names are matched in entries."""
    return _norm_term(name)
