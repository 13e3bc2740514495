"""Cutting a pasted chain into header lines, numbered entries and lines that fit neither.

Real chains are messy: header lines that look numbered (`11.28号周六到货`, `1.商品介绍`), a whole
chain on one line (`1. 2. 张阿姨 3-502 3. 小敏`), entries wrapped onto the next line, duplicated
lines. The rule that sorts it out is the sequence itself: real entries start at 1 and go up by
one, so among all the numbers that could start an entry we keep the run that best continues
1, 2, 3, … to the end of the text. Every non-blank line ends up somewhere; none is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tuan.domain.shared.rooms import room_at
from tuan.domain.shared.text import cn_to_int, to_halfwidth
from tuan.i18n import _

# `1.` `1、` `1 .` (full-width forms are half-width by now); not `11.28` or `3.5`, but `1.295-909`
# and `3.7号楼302`: a number glued to a room (`295-909`, not a range of dates like `5-1.8`).
_MARKER_RE = re.compile(
    r"(?:^|(?<=\s))(\d{1,4})\s?(?:[.、)](?!\d)|\.(?=\d{1,3}\s?(?:-\s?\d{2,4}(?![\d.])|号楼|栋|幢)))"
)
# Other ways a line is numbered: `(3)`, `一、`; and `①` (read from the pasted line: NFKC makes
# it a bare `1`).
_OTHER_MARKER_RE = re.compile(
    r"^\s*(?:\(\s*(?P<paren>\d{1,4})\s*\)"
    r"|(?P<cn>[一二三四五六七八九十]{1,3})\s*[、.])\s*"
)
# `4 赵六 4-402 蓝莓*2`: a number and a space open the line, then words (not `2 盒`, `3 人团`).
_BARE_MARKER_RE = re.compile(r"^\s*(\d{1,3})\s+(?=[^\d\s.、:：+*×xX个份斤盒箱袋瓶只人位元块])")
# `#接龙`, and `【接龙】` / `[接龙]` as some groups write the tag.
_TAG_RE = re.compile(r"^\s*(?:#\s*接龙|【\s*接龙\s*】|\[\s*接龙\s*\])\s*[:：]?")
# `例 王阿姨…`, `例：`, `例子:`, `例如 …`, a lone `例`; `接龙格式：楼号+房号+份数`.
_EXAMPLE_RE = re.compile(r"^\s*(?:例(?:子|如)?(?:[\s:：.、]|$)|(?:接龙)?格式\s*[:：])")
_PRICE_RE = re.compile(r"¥\s*\d|\d\s*元|原价")
# WeChat's own count under the list (`——共 23 人参与——`, `已有23人接龙`): nobody's order.
_TALLY_RE = re.compile(
    r"^[\s\-—–_~=·.*]*(?:(?:共|合计|总计|已有|已)\s*\d+\s*[人位](?:参与|参加|报名)?(?:接龙)?"
    r"|\d+\s*[人位](?:参与|参加|报名|接龙)(?:接龙)?)了?[\s\-—–_~=·.*!！。]*$"
)
# A line among the entries that carries these words is the leader's text, not an entry.
_FOOTER_WORDS = ("#接龙", "截止", "自提", "到货", "团购")
#: Numbers may skip this many (deleted entries) and still count as the next entry.
MAX_GAP = 5
#: Runs tried from the first and from the last this many entries numbered 1.
MAX_STARTS = 32


@dataclass(frozen=True)
class SourceLine:
    """One pasted line.

    Attributes:
        number: 1-based line number, as the leader sees it.
        raw: The line as pasted.
        text: Half-width form, with a `#接龙` tag blanked out (same positions).
        tag: Whether the line starts with `#接龙`.
        body: Where the text after the tag begins (0 without a tag).
    """

    number: int
    raw: str
    text: str
    tag: bool = False
    body: int = 0

    def cut(self, start: int, end: int | None = None) -> str:
        """The pasted characters between two positions of `text` (half-width if they differ)."""
        source = self.raw if len(self.raw) == len(self.text) else self.text
        return source[start:end]


@dataclass(frozen=True)
class Marker:
    """A number that may start an entry: `seq` at `start`, its text from `content`."""

    line: int
    start: int
    content: int
    seq: int
    at_start: bool


@dataclass
class Segment:
    """One numbered entry's text as pasted, possibly over several lines.

    Attributes:
        seq: Its number.
        lines: 1-based line numbers.
        parts: Its text on each line, without the number.
        raw_parts: Its text on each line, with the number, as shown to the leader.
        missing: First and last number skipped just before it, if any.
    """

    seq: int
    lines: list[int]
    parts: list[str]
    raw_parts: list[str]
    missing: tuple[int, int] | None = None


@dataclass
class Layout:
    """Where every line of a pasted chain went (indices into `lines`)."""

    lines: list[SourceLine]
    header: list[tuple[int, str]] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    unparsed: list[tuple[int, str]] = field(default_factory=list)
    tallies: list[int] = field(default_factory=list)  # `——共 23 人参与——`: read past

    @property
    def tagged(self) -> bool:
        """Whether the text has a `#接龙` line."""
        return any(line.tag for line in self.lines)


def lay_out(text: str, orders: Callable[[str], bool] | None = None) -> Layout:
    """Sort the lines of a pasted chain into header, example, entries, duplicates and unparsed.

    `orders(text)`: whether a numbered line's text orders something (known products only); it
    tells entries that all say what they paid from a list of products with prices.
    """
    lines = split_lines(text)
    duplicates = find_duplicates(lines)
    examples = find_examples(lines, duplicates)
    zone = examples[-1] + 1 if examples else 0  # entries come after the `例` line
    markers = [
        marker
        for i in range(zone, len(lines))
        if i not in duplicates
        for marker in find_markers(lines[i], i)
    ]
    markers = _skip_price_list(markers, lines, orders)
    run = [markers[i] for i in choose_run(markers)]
    return _assemble(lines, duplicates, set(examples), run, markers)


def split_lines(text: str) -> list[SourceLine]:
    """Number the lines and make their half-width working form."""
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        norm = to_halfwidth(raw)
        tag = _TAG_RE.match(norm)
        body = tag.end() if tag else 0
        if body:
            norm = " " * body + norm[body:]
        lines.append(SourceLine(number, raw, norm, bool(tag), body))
    return lines


def find_duplicates(lines: list[SourceLine]) -> set[int]:
    """Lines repeated by a double paste: a repeated entry, tag or `例` line, and what follows it.

    A repeated short note under two different entries is not a duplicate; it only counts when the
    line before it was one.
    """
    seen: set[str] = set()
    duplicates: set[int] = set()
    in_block = False
    for i, line in enumerate(lines):
        key = ("#接龙 " if line.tag else "") + line.text.strip()
        if not line.raw.strip():
            continue
        # Whether it is an entry, tag or `例` line matters only for a line seen before.
        in_block = key in seen and (
            in_block or line.tag or bool(_EXAMPLE_RE.match(key) or _MARKER_RE.match(key))
        )
        if in_block:
            duplicates.add(i)
        seen.add(key)
    return duplicates


def find_examples(lines: list[SourceLine], duplicates: set[int]) -> list[int]:
    """The `例 …` lines showing how to join (not `例外再加一份`, a wrapped entry)."""
    found = [i for i, line in enumerate(lines) if _EXAMPLE_RE.match(line.text)]
    return [i for i in found if i not in duplicates]


def find_markers(line: SourceLine, index: int) -> list[Marker]:
    """Every `N.` / `N、` on a line that could start an entry."""
    first = len(line.text) - len(line.text.lstrip())
    markers = []
    for match in _MARKER_RE.finditer(line.text):
        seq = int(match.group(1))
        if seq == 0:
            continue
        content = match.end()
        at_start = match.start() == first and not line.tag
        markers.append(Marker(index, match.start(), content, seq, at_start))
    raw = line.raw.lstrip()
    if not line.tag and not markers and raw and "\u2460" <= raw[0] <= "\u2473":
        start = len(line.raw) - len(raw)
        content = start + len(to_halfwidth(raw[0]))
        content += len(line.text[content:]) - len(line.text[content:].lstrip())
        return [Marker(index, start, content, ord(raw[0]) - 0x245F, True)]  # ① is U+2460
    other = None if line.tag or markers else _OTHER_MARKER_RE.match(line.text)
    if other is not None:
        number = _other_seq(other)
        if number:
            return [Marker(index, other.start(), other.end(), number, True)]
    bare = (
        None if line.tag or (markers and markers[0].at_start) else _BARE_MARKER_RE.match(line.text)
    )
    if bare is not None and int(bare.group(1)):
        # Only as a link in a run: a line skipped for it is no fault (it may be a header's).
        markers.insert(0, Marker(index, bare.start(1), bare.end(), int(bare.group(1)), False))
    return markers


def _other_seq(match: re.Match[str]) -> int | None:
    if match.group("paren"):
        return int(match.group("paren"))
    return cn_to_int(match.group("cn"))


def choose_run(markers: list[Marker]) -> list[int]:
    """Indices of the markers that are real entries.

    Each marker numbered 1 starts a candidate run. The best run has the fewest faults (numbers
    at the start of a line it has to skip, and jumps over missing numbers), then the most
    entries, then starts latest (numbered header lines come before the entries).
    """
    starts = [i for i, m in enumerate(markers) if m.seq == 1]
    if not starts:  # a copy that begins mid-chain
        starts = [i for i, m in enumerate(markers) if m.at_start][:1]
    if len(starts) > 2 * MAX_STARTS:  # a pathological paste: keep the time linear
        starts = starts[:MAX_STARTS] + starts[-MAX_STARTS:]
    next_at_start = _next_line_start_seqs(markers)
    best: list[int] = []
    best_score: tuple[int, int, int] | None = None
    for start in starts:
        run, faults = _walk(markers, start, next_at_start)
        score = (faults, -len(run), -start)
        if best_score is None or score < best_score:
            best, best_score = run, score
    return best


def _walk(markers: list[Marker], start: int, next_at_start: list[int]) -> tuple[list[int], int]:
    run, last, faults = [start], markers[start].seq, 0
    for i in range(start + 1, len(markers)):
        marker = markers[i]
        follows = marker.seq == last + 1 and (marker.at_start or next_at_start[i] != marker.seq)
        skips_a_few = marker.at_start and last + 1 < marker.seq <= last + MAX_GAP
        if follows or skips_a_few:
            run.append(i)
            last = marker.seq
        faults += int(skips_a_few or (marker.at_start and not follows))
    return run, faults


def _next_line_start_seqs(markers: list[Marker]) -> list[int]:
    """For each marker, the number of the next marker that starts a line (0 if none).

    `3. 小王 备注 4.要发票` followed by a line `4. 李阿姨`: the inline 4 is text, not an entry.
    """
    result = [0] * len(markers)
    upcoming = 0
    for i in range(len(markers) - 1, -1, -1):
        result[i] = upcoming
        if markers[i].at_start:
            upcoming = markers[i].seq
    return result


def _skip_price_list(
    markers: list[Marker], lines: list[SourceLine], orders: Callable[[str], bool] | None
) -> list[Marker]:
    """A numbered product list with prices before the entries (`1. 橄榄油 ¥89`) is header.

    Entries that say what they paid are not (`1. 王姐 3-1202 橄榄油2 178元`): a line naming a
    room is an entry, and so are priced lines numbered from elsewhere than 1 (a list of products
    starts at 1), or whose numbers the next entry carries on, or that all order something
    (`orders`: a name, then a product of the chain's; only when its products are known).
    """
    first = 0
    while first < len(markers):
        text = lines[markers[first].line].text
        if not _PRICE_RE.search(text) or room_at(text) is not None:
            break
        first += 1
    if first == 0 or markers[0].seq != 1:
        return markers
    if first < len(markers):
        return markers if markers[first].seq == markers[first - 1].seq + 1 else markers[first:]
    if orders is not None and all(orders(lines[m.line].text[m.content :]) for m in markers):
        return markers
    return markers[first:]


def _assemble(
    lines: list[SourceLine],
    duplicates: set[int],
    examples: set[int],
    run: list[Marker],
    markers: list[Marker],
) -> Layout:
    layout = Layout(lines)
    by_line: dict[int, list[Marker]] = {}
    for marker in run:
        by_line.setdefault(marker.line, []).append(marker)
    accepted = {(m.line, m.start) for m in run}
    stray = {m.line: m for m in markers if m.at_start and (m.line, m.start) not in accepted}
    first_line = run[0].line if run else len(lines)
    state = _State()
    for i, line in enumerate(lines):
        if not line.raw.strip():
            continue
        if i in duplicates:
            layout.duplicates.append(i)
        elif i < first_line:
            _place_header_line(layout, examples, i, line)
        elif i in by_line:
            _place_entry_line(layout, state, i, line, by_line[i])
        elif i in stray:
            layout.unparsed.append((i, _stray_reason(stray[i].seq, state)))
            state.current = None
        else:
            _place_loose_line(layout, state, i, line)
    return layout


@dataclass
class _State:
    """Walking the entry lines: the entry being filled and the numbers seen so far."""

    current: Segment | None = None
    last_seq: int = 0
    seen: set[int] = field(default_factory=set)


def _place_header_line(layout: Layout, examples: set[int], i: int, line: SourceLine) -> None:
    if i in examples:
        layout.examples.append(i)
    else:
        layout.header.append((i, line.cut(line.body).strip()))


def _place_entry_line(
    layout: Layout, state: _State, i: int, line: SourceLine, markers: list[Marker]
) -> None:
    """A line holding one or more entries, maybe after the end of the previous one."""
    prefix_end = markers[0].start
    if line.text[:prefix_end].strip():
        if state.current is not None:
            _extend(state.current, line, 0, prefix_end)
        else:  # `#接龙 标题 1. 2. 张阿姨`: the title comes before the first entry
            layout.header.append((i, line.cut(line.body, prefix_end).strip()))
    for k, marker in enumerate(markers):
        end = markers[k + 1].start if k + 1 < len(markers) else len(line.text)
        missing = None
        if state.last_seq and marker.seq > state.last_seq + 1:
            missing = (state.last_seq + 1, marker.seq - 1)
        segment = Segment(marker.seq, [line.number], [line.cut(marker.content, end)], [], missing)
        segment.raw_parts.append(line.cut(marker.start, end).strip())
        layout.segments.append(segment)
        state.current, state.last_seq = segment, marker.seq
        state.seen.add(marker.seq)


def _place_loose_line(layout: Layout, state: _State, i: int, line: SourceLine) -> None:
    """An unnumbered line among the entries: the previous entry wrapped onto it."""
    text = line.text.strip()
    if _TALLY_RE.match(text):
        layout.tallies.append(i)
    elif text.startswith(_FOOTER_WORDS) or "#接龙" in text:
        layout.unparsed.append((i, _("像是接龙的说明文字，不是某一条的内容")))
    elif state.current is None:
        layout.unparsed.append((i, _("上一行没有读懂，这一行不知道属于哪一条")))
    else:
        _extend(state.current, line, 0, len(line.text))


def _extend(segment: Segment, line: SourceLine, start: int, end: int) -> None:
    segment.parts.append(line.cut(start, end))
    segment.raw_parts.append(line.cut(start, end).strip())
    if segment.lines[-1] != line.number:
        segment.lines.append(line.number)


def _stray_reason(seq: int, state: _State) -> str:
    if seq in state.seen:
        return _("序号 {seq} 重复了").format(seq=seq)
    return _("序号 {seq} 接不上前一条（{last}）").format(seq=seq, last=state.last_seq)
