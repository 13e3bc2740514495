"""Every way the items of a chain can be named: full name, name with spec, alias, a distinctive
part of the name (`亚麻` for `冷榨亚麻籽油`) and the one-letter menu code (`A`, `B`).

The index is built once per catalogue and scanned left to right, longest name first, so reading
a 1,000-entry chain stays fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tuan.domain.text import CN_NUMERAL_CHARS, to_halfwidth

ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


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


class Catalog:
    """Every way a set of items can be named, indexed for a fast left-to-right scan."""

    def __init__(self, items: Iterable[CatalogItem] = ()) -> None:
        """Index the items' names, specs, aliases, distinctive name parts and codes."""
        self.items: tuple[CatalogItem, ...] = tuple(items)
        self._terms = _build_terms(self.items)
        lengths: dict[str, set[int]] = {}
        for term in self._terms:
            lengths.setdefault(term[0], set()).add(len(term))
        # Longest first, so `亚麻籽油` wins over `亚麻` at the same place.
        self._lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        self._codes = {
            item.code.strip().upper(): item.key for item in self.items if _is_code(item.code)
        }

    @property
    def sole_key(self) -> str | None:
        """The key of the only item, when there is exactly one (it takes bare quantities)."""
        return self.items[0].key if len(self.items) == 1 else None

    def code_key(self, letter: str) -> str | None:
        """The key of the item with this one-letter code (any case), if any."""
        return self._codes.get(letter.upper())

    def find_items(self, text: str) -> list[tuple[int, int, str]]:
        """Non-overlapping (start, end, key) matches of item names in half-width `text`."""
        lowered = text.translate(ASCII_LOWER)
        found: list[tuple[int, int, str]] = []
        i = 0
        while i < len(lowered):
            length = self._match_at(lowered, i)
            if length:
                found.append((i, i + length, self._terms[lowered[i : i + length]]))
                i += length
            else:
                i += 1
        return found

    def _match_at(self, text: str, i: int) -> int:
        for length in self._lengths.get(text[i], ()):
            if text[i : i + length] in self._terms and _word_bounded(text, i, i + length):
                return length
        return 0


def _build_terms(items: tuple[CatalogItem, ...]) -> dict[str, str]:
    """Map each lower-cased name, alias and distinctive name part to its item's key."""
    exact: dict[str, set[str]] = {}
    parts: dict[str, set[str]] = {}
    for item in items:
        for term in _exact_terms(item):
            exact.setdefault(term, set()).add(item.key)
        for term in _name_parts(_norm_term(item.name)):
            parts.setdefault(term, set()).add(item.key)
    # A part two items share (冷榨 in 冷榨橄榄油 and 冷榨亚麻籽油) names neither of them.
    terms = {term: next(iter(keys)) for term, keys in parts.items() if len(keys) == 1}
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
    parts = set()
    for start in range(len(name)):
        for end in range(start + 2, len(name) + 1):
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
