"""Where things go on a poster, in one design shared by the A4 PDF and the phone PNG.

The layout works in design units (the page is 1000 wide) with a text-measuring function, so the
PDF and PNG backends draw the same boxes and lines and only convert units. Chinese wraps at any
character, but never puts closing punctuation at a line start or an opening bracket at a line
end, and prefers to break after a comma when that keeps lines at least half full.

The printed words (`微信扫一扫，加入群聊`, `专属  来源码`, `与 … 合作`) are Chinese in every
interface language: the poster hangs in a gym for Chinese neighbours, like the rest of its text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuan.domain.partners.posters import PosterSpec

Measure = Callable[[str, float], float]  # (text, size) -> width, in design units

WIDTH = 1000.0
NO_START = set("，。、；：？！）》」』】〉”’,.;:?!)%～")
NO_END = set("（《「『【〈“‘(")
SOFT_BREAK = set("，。、；：？！ ,;:!?》」』】）)")
_TOKEN = re.compile(r"[A-Za-z0-9@#&._/+=?%-]+|\s+|.")

GREEN = (46, 125, 50)
PALE_GREEN = (232, 243, 233)
INK = (31, 42, 31)
MUTED = (90, 100, 90)
WHITE = (255, 255, 255)
CREAM = (250, 248, 240)


@dataclass(frozen=True)
class Box:
    """A filled rectangle."""

    x: float
    y: float
    w: float
    h: float
    color: tuple[int, int, int]
    radius: float = 0.0


@dataclass(frozen=True)
class Line:
    """One line of text, centred on (cx, cy)."""

    text: str
    cx: float
    cy: float
    size: float
    color: tuple[int, int, int]


@dataclass
class Layout:
    """A composed poster page."""

    height: float
    background: tuple[int, int, int]
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    qr: Box | None = None  # the square the QR (or the leader's image) fills

    @property
    def texts(self) -> list[str]:
        """Every line of text, top to bottom (for checks and tests)."""
        return [line.text for line in sorted(self.lines, key=lambda x: x.cy)]


def wrap(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Break `text` into lines no wider than `width` at `size`."""
    lines: list[str] = []
    current: list[str] = []
    for token in _tokens(text, width, size, measure):
        if not current or measure("".join([*current, token]).rstrip(), size) <= width:
            current.append(token)
            continue
        split = _break_point(current, token, width, size, measure)
        lines.append("".join(current[:split]).strip())
        current = [*current[split:], token]
        while current and not current[0].strip():
            current.pop(0)
        if len(current) > 1 and measure("".join(current).rstrip(), size) > width:
            lines.append("".join(current[:-1]).strip())  # what moved down cannot take the token
            current = current[-1:]
    if current and "".join(current).strip():
        lines.append("".join(current).strip())
    return [line for line in lines if line]


def _tokens(text: str, width: float, size: float, measure: Measure) -> list[str]:
    """Words of Latin letters and digits stay whole unless one alone is too wide (a long URL)."""
    tokens: list[str] = []
    for token in _TOKEN.findall(text.strip()):
        if len(token) > 1 and measure(token, size) > width:
            tokens.extend(token)
        else:
            tokens.append(token)
    return tokens


def _break_point(
    current: list[str], token: str, width: float, size: float, measure: Measure
) -> int:
    """Where to end the line `current` when `token` does not fit after it.

    Prefer the last phrase boundary (after a comma or a closing bracket, or before an opening
    bracket, keeping 《7天健康食谱》 whole) if the line stays at least 40% full; otherwise fill the
    line, moving a character down so no line starts with closing punctuation or ends with an
    opening bracket.
    """
    for index in range(len(current) - 1, 0, -1):
        if current[index] in SOFT_BREAK:
            candidate = index + 1
        elif current[index] in NO_END:
            candidate = index
        else:
            continue
        if measure("".join(current[:candidate]), size) >= 0.4 * width:
            return candidate
        break
    split = len(current)
    if token in NO_START and split > 1:
        split -= 1
    while split > 1 and current[split - 1] in NO_END:
        split -= 1
    return split


def fit_lines(
    text: str, width: float, sizes: range, max_lines: int, measure: Measure
) -> tuple[float, list[str]]:
    """The largest size (from `sizes`, big to small) at which `text` takes at most `max_lines`."""
    lines: list[str] = []
    size = float(sizes.start)
    for step in sizes:
        size = float(step)
        lines = wrap(text, width, size, measure)
        if len(lines) <= max_lines:
            break
    return size, lines


@dataclass(frozen=True)
class Medium:
    """What differs between the printed page and the phone image."""

    height: float
    background: tuple[int, int, int]
    qr_side: float
    caption: str


def print_medium() -> Medium:
    """A4 portrait (210 × 297 mm)."""
    return Medium(WIDTH * 297 / 210, WHITE, 540.0, "微信扫一扫，加入群聊")


def phone_medium() -> Medium:
    """A 1080 × 1920 phone screen."""
    return Medium(WIDTH * 1920 / 1080, CREAM, 620.0, "长按识别二维码，加入群聊")


def compose(spec: PosterSpec, medium: Medium, measure: Measure) -> Layout:
    """Place the poster's parts: brand band, headline, offer, QR card, partner line, footer."""
    page = Layout(height=medium.height, background=medium.background)
    header, footer, margin = 130.0, 90.0, 70.0
    text_width = WIDTH - 2 * margin
    page.boxes.append(Box(0, 0, WIDTH, header, GREEN))
    brand = spec.brand or spec.partner_name
    page.lines.append(Line(brand, WIDTH / 2, header / 2, 54, WHITE))
    head_size, head_lines = fit_lines(spec.headline, text_width, range(100, 59, -4), 2, measure)
    offer_size, offer_lines = fit_lines(spec.offer, text_width, range(44, 31, -4), 2, measure)
    head_h = len(head_lines) * head_size * 1.3
    offer_h = len(offer_lines) * offer_size * 1.45
    partner_text = f"{spec.partner_name} 专属  来源码 {spec.code}"
    # Card padding and caption band, then the partner line: all that is not text or QR.
    free = medium.height - header - footer - head_h - offer_h - (2 * 36 + 40) - 60
    weights = (1.0, 0.5, 1.0, 0.6, 1.0)  # gaps: top, headline-offer, offer-card, card-partner, end
    side = max(380.0, min(medium.qr_side, free - sum(weights) * 30))
    gap = max(16.0, (free - side) / sum(weights))
    y = header + gap * weights[0]
    y = _stack(page, head_lines, y, head_size, 1.3, INK)
    y = _stack(page, offer_lines, y + gap * weights[1], offer_size, 1.45, MUTED)
    y += gap * weights[2]
    card_w = side + 2 * 36
    card = Box((WIDTH - card_w) / 2, y, card_w, side + 2 * 36 + 40, WHITE, radius=24)
    page.boxes.append(card)
    page.qr = Box((WIDTH - side) / 2, y + 36, side, side, WHITE)
    page.lines.append(Line(medium.caption, WIDTH / 2, y + 36 + side + 30, 34, INK))
    y = card.y + card.h + gap * weights[3]
    page.lines.append(Line(partner_text, WIDTH / 2, y + 30, 32, MUTED))
    page.boxes.append(Box(0, medium.height - footer, WIDTH, footer, PALE_GREEN))
    footer_text = f"{brand} 与 {spec.partner_name} 合作"
    page.lines.append(Line(footer_text, WIDTH / 2, medium.height - footer / 2, 30, GREEN))
    return page


def _stack(
    page: Layout,
    lines: list[str],
    y: float,
    size: float,
    leading: float,
    color: tuple[int, int, int],
) -> float:
    """Add centred lines from `y` down; returns the y below them."""
    for text in lines:
        page.lines.append(Line(text, WIDTH / 2, y + size * leading / 2, size, color))
        y += size * leading
    return y


def qr_matrix(payload: str, border: int = 4) -> list[list[bool]]:
    """The QR modules for `payload` (True = dark), with a quiet zone of `border` modules."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def image_matrix(path: str | Path, columns: int = 41, max_rows: int = 46) -> list[list[bool]]:
    """A coarse dark/light grid of an image, at most `columns` × `max_rows`, for a preview."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        gray = ImageOps.exif_transpose(image).convert("L")
    columns = max(8, min(columns, int(max_rows * gray.width / gray.height)))
    rows = max(1, round(columns * gray.height / gray.width))
    small = gray.resize((columns, rows), Image.Resampling.BOX)
    pixels = small.tobytes()  # one byte per pixel ("L"), row by row
    return [[pixels[y * columns + x] < 128 for x in range(columns)] for y in range(rows)]
