"""The partners area's side panels: the current poster's text and a terminal preview of its QR.

The QR is drawn with upper-half blocks, two modules per character cell, in explicit black on white
so a phone can scan it off the screen whatever the terminal theme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tuan.domain.shared.width import cells
from tuan.i18n import _

if TYPE_CHECKING:
    from tuan.domain.partners.posters import PosterSpec

DARK, LIGHT = "#000000", "#ffffff"


def half_blocks(matrix: list[list[bool]]) -> Text:
    """Two module rows per text line: '▀' coloured as the top module on the bottom one."""
    text = Text(no_wrap=True, overflow="crop")
    for y in range(0, len(matrix), 2):
        top = matrix[y]
        bottom = matrix[y + 1] if y + 1 < len(matrix) else [False] * len(top)
        pairs = list(zip(top, bottom, strict=True))
        start = 0
        while start < len(pairs):
            end = start
            while end < len(pairs) and pairs[end] == pairs[start]:
                end += 1
            upper, lower = pairs[start]
            style = Style(color=DARK if upper else LIGHT, bgcolor=DARK if lower else LIGHT)
            text.append("▀" * (end - start), style=style)
            start = end
        if y + 2 < len(matrix):
            text.append("\n")
    return text


class QrPreview(Static):
    """The poster's QR (or a coarse picture of the leader's QR image) in the terminal."""

    DEFAULT_CSS = """
    QrPreview { width: auto; min-width: 24; height: auto; border: round $primary-darken-1;
        padding: 0 1; }
    """

    def show_matrix(self, matrix: list[list[bool]] | None, caption: str, room: int = 60) -> None:
        """Draw `matrix`, or say why there is nothing to draw; `room` is the widest that fits."""
        self.border_title = caption
        if not matrix:
            self.update(Text(_("还没有二维码：按 p 设置"), style="italic"))
        elif len(matrix[0]) > room:
            self.update(Text(_("二维码太大，终端里放不下；按 i 导出图片查看"), style="italic"))
        else:
            self.update(half_blocks(matrix))


def wrap_cells(text: str, width: int) -> list[str]:
    """Wrap Chinese prose to `width` terminal cells by the poster's own line-break rules."""
    from tuan.domain.partners.poster_layout import wrap

    return wrap(text, width, 1, lambda part, _size: cells(part)) or [""]


def poster_text(spec: PosterSpec, width: int = 30, notes: str = "") -> Text:
    """The poster panel: what the poster says, its QR source and state, when it was made."""
    from tuan import clock

    text = Text()
    rows = [
        (_("标题"), spec.headline),
        (_("优惠"), spec.offer),
        (_("品牌"), spec.brand),
        (_("来源码"), spec.code),
    ]
    for label, value in rows:
        _append_field(text, label, value or "-", width)
    if spec.qr_image_path:
        source = _("群二维码图片")
    elif spec.qr_payload:
        source = spec.qr_payload
    else:
        source = _("未设置")
    _append_field(text, _("二维码"), source, width)
    label, urgent = spec.status()
    text.append(f"{_('状态')}  ", style="bold")
    text.append(label + "\n", style="bold red" if urgent else "green")
    warning = spec.expiry_message()
    if warning:
        for line in wrap_cells(warning, width):
            text.append(line + "\n", style="red")
    made = spec.created_at
    when = clock.local(made).strftime("%Y-%m-%d %H:%M") if made else _("还没有海报（显示默认内容）")
    text.append(f"{_('制作')}  ", style="bold")
    text.append(when)
    if notes:
        text.append("\n")
        _append_field(text, _("点位备注"), notes, width)
        text.rstrip()
    return text


def _append_field(text: Text, label: str, value: str, width: int) -> None:
    prefix = f"{label}  "
    lines = wrap_cells(value, max(8, width - cells(prefix)))
    text.append(prefix, style="bold")
    text.append(lines[0] + "\n")
    for line in lines[1:]:
        text.append(" " * cells(prefix) + line + "\n")
