"""Reading which 拼团 team an entry joins from what was typed in the line.

`跟王阿姨的团`, `跟王阿姨` and `参团王阿姨` name the team of 王阿姨 (the member who opened it);
`开团` opens a new team named after the entry's member; `跟团` / `参团` alone, like saying
nothing, fills the oldest open team. The chain entry line, the pasted chain import and the live
one-line entry all read it here, before quantities, so the phrase never becomes a name or note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuan.domain.shared.text import to_halfwidth

TEAM_SUFFIX = "的团"  # i18n-keep: chain text grammar
OPEN_WORD = "开团"  # i18n-keep: chain text grammar
JOIN_WORD = "跟"  # i18n-keep: chain text grammar
_STOP = r"\s,，、;；()（）\[\]【】"
# i18n-keep: input grammar
_NAMED_RE = re.compile(
    rf"(?:^|(?<=[{_STOP}]))(?:跟|参团)(?P<name>[^{_STOP}]+?)(?:的团(?P<n>\d*))?(?=[{_STOP}]|$)"
)
_BARE_RE = re.compile(rf"(?:^|(?<=[{_STOP}]))(?P<word>开团|跟团|参团)(?=[{_STOP}]|$)")


@dataclass(frozen=True)
class TeamRef:
    """What a line says about its team: a leader's name (with the team's number when one
    member opened several: `王阿姨的团2`), or `new` for `开团`."""

    name: str = ""
    new: bool = False

    @property
    def team_name(self) -> str:
        """The team's name as stored (`王阿姨的团`); '' for `开团`."""
        return self.name if self.new or not self.name else team_name_of(self.name)


def team_name_of(leader: str) -> str:
    """`王阿姨` → `王阿姨的团`; `王阿姨的团2` stays."""
    return leader if TEAM_SUFFIX in leader else leader + TEAM_SUFFIX


def split_team_words(text: str) -> tuple[str, tuple[TeamRef, ...]]:
    """The text without its team phrases, and what they say, in the order written.

    Works on the half-width form when the text has full-width characters (`跟王阿姨的团（…）`).
    """
    norm = to_halfwidth(text)
    # i18n-keep: input grammar (every team phrase has 跟 or 团, and most lines neither)
    if "跟" not in norm and "团" not in norm:
        return text, ()
    source = text if len(text) == len(norm) else norm
    refs: list[TeamRef] = []
    spans: list[tuple[int, int]] = []
    for match in _NAMED_RE.finditer(norm):
        name = match.group("name")
        if name == "团":  # i18n-keep: input grammar (`跟团`: no name, fill in order)
            spans.append(match.span())
            continue
        suffix = TEAM_SUFFIX + match.group("n") if match.group("n") is not None else ""
        refs.append(TeamRef(name + suffix if suffix != TEAM_SUFFIX else name))
        spans.append(match.span())
    for match in _BARE_RE.finditer(norm):
        if any(start <= match.start() < end for start, end in spans):
            continue
        if match.group("word") == OPEN_WORD:
            refs.append(TeamRef(new=True))
        spans.append(match.span())
    if not spans:
        return text, ()
    kept, last = [], 0
    for start, end in sorted(spans):
        kept.append(source[last:start])
        last = end
    kept.append(source[last:])
    return " ".join(" ".join(kept).split()), tuple(refs)


def format_team_words(refs: tuple[TeamRef, ...]) -> str:
    """`开团` / `跟王阿姨的团`, space separated: what an entry line shows (read back above)."""
    return " ".join(OPEN_WORD if r.new else JOIN_WORD + team_name_of(r.name) for r in refs)
