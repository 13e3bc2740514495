"""The wording check before a chain is copied: words that get posts flagged or break ad rules.

The list lives in one data file (`tuan/data/flagged_words.txt`); the leader extends it with a
file of the same name in tuan's config folder. The check warns and never blocks: it names each
word, where it is (line and column, 1-based, counted in characters) and why it is risky.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tuan.domain.shared.text import to_halfwidth
from tuan.domain.shared.text_files import TextFileError, read_text_file
from tuan.i18n import _

WORDS_FILE = "flagged_words.txt"
BUILTIN_WORDS = Path(__file__).resolve().parents[2] / "data" / WORDS_FILE


@dataclass(frozen=True)
class FlaggedWord:
    """A risky word and why."""

    word: str
    reason: str = ""


@dataclass(frozen=True)
class WordHit:
    """One place a risky word appears."""

    word: str
    line: int
    column: int
    reason: str

    def describe(self) -> str:
        """`第 3 行第 12 列「第一」：广告法禁止绝对化用语`."""
        where = _("第 {line} 行第 {column} 列").format(line=self.line, column=self.column)
        text = _("{where}「{word}」").format(where=where, word=self.word)
        return _("{label}：{value}").format(label=text, value=self.reason) if self.reason else text


def user_words_path() -> Path:
    """The leader's own list: `flagged_words.txt` in tuan's config folder."""
    from platformdirs import user_config_path

    return user_config_path("tuan", appauthor=False) / WORDS_FILE


def read_words(path: Path) -> list[FlaggedWord]:
    """Read a word list: one word a line, then optionally spaces and the reason; `#` comments."""
    try:
        text = read_text_file(path)  # the leader's own list may be saved by Notepad as GBK
    except TextFileError:
        return []
    words = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _sep, reason = line.partition(" ")
        if "\t" in word:
            word, _sep, reason = line.partition("\t")
        words.append(FlaggedWord(word.strip(), reason.strip()))
    return words


def flagged_words(extra: Path | None = None) -> list[FlaggedWord]:
    """The built-in list plus the leader's file (or `extra`); a word listed twice counts once."""
    merged: dict[str, FlaggedWord] = {}
    for path in (BUILTIN_WORDS, extra or user_words_path()):
        for item in read_words(path):
            key = to_halfwidth(item.word).lower()
            if key and (key not in merged or item.reason):
                merged[key] = item
    return list(merged.values())


def check_wording(text: str, words: list[FlaggedWord] | None = None) -> list[WordHit]:
    """Every risky word in `text`, in reading order (full-width and case ignored)."""
    words = flagged_words() if words is None else words
    # Longest first, so `全网最低` is reported once rather than also as a shorter word inside it.
    ordered = sorted(words, key=lambda w: -len(w.word))
    lines = [to_halfwidth(line).lower() for line in text.splitlines()]
    everything = "\n".join(lines)
    # A word (never on two lines) that is nowhere in the text is not looked for line by line.
    needles = [(item, needle) for item in ordered
               if (needle := to_halfwidth(item.word).lower()) in everything]  # fmt: skip
    if not needles:
        return []
    hits: list[WordHit] = []
    for number, norm in enumerate(lines, 1):
        taken = [False] * len(norm)
        for item, needle in needles:
            start = norm.find(needle)
            while needle and start != -1:
                end = start + len(needle)
                if not any(taken[start:end]):
                    taken[start:end] = [True] * len(needle)
                    hits.append(WordHit(item.word, number, start + 1, item.reason))
                start = norm.find(needle, end)
    return sorted(hits, key=lambda h: (h.line, h.column))
