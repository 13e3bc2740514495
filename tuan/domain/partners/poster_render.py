"""Drawing a poster: an A4 PDF whose text stays text, a 1080×1920 PNG, and printing.

The PDF embeds (a subset of) the Chinese font, so its text is sharp in print and searchable, and
its generated QR is drawn as vector squares. The PNG is sized for phones. A leader's own QR image
is placed as is, scaled to fit its square without cropping.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuan import clock
from tuan.domain.partners.poster_layout import (
    Box,
    Layout,
    Measure,
    compose,
    phone_medium,
    print_medium,
    qr_matrix,
)
from tuan.domain.partners.posters import PosterError, PosterSpec
from tuan.domain.shared.errors import DomainError
from tuan.domain.shared.fonts import CjkFont, missing_glyphs, pdf_output
from tuan.i18n import N_, _

if TYPE_CHECKING:
    from datetime import datetime

    from PIL import Image as PILImage

PNG_SIZE = (1080, 1920)
MM_PER_UNIT = 210 / 1000
PX_PER_UNIT = PNG_SIZE[0] / 1000
PT_PER_MM = 72 / 25.4
BASELINE = 0.36  # a CJK line's baseline sits this many ems below its centre
QR_BORDER = 2  # modules of quiet zone inside the QR square (the white card adds more)
EXPORT_ENV = "TUAN_EXPORT_DIR"


class PrintError(DomainError, RuntimeError):
    """The poster was not printed; the message says why and where the PDF is."""

    code = "print.failed"


@dataclass
class Export:
    """A poster written to disk, with anything the leader should know about it."""

    path: Path
    warnings: list[str] = field(default_factory=list)


@lru_cache(maxsize=16)
def _pil_font(path: Path, index: int, size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size=size, index=index)


def measurer(font: CjkFont) -> Measure:
    """Text width in design units at a size in design units, from the font's own advances."""
    base = _pil_font(font.path, font.index, 200)

    def measure(text: str, size: float) -> float:
        return float(base.getlength(text)) * size / 200

    return measure


def poster_format(path: str | Path) -> str:
    """`pdf` or `png` from the file name, or a PosterError saying which names work."""
    suffix = Path(path).suffix.lower()
    if suffix in (".pdf", ".png"):
        return suffix[1:]
    message = N_("海报文件名要以 .pdf（打印用 A4）或 .png（手机用图片）结尾：{name}")
    raise PosterError(message, "path", code="path.format", name=Path(path).name)


def poster_filename(spec: PosterSpec, fmt: str) -> str:
    """`海报-YD01-悦动健身（阳光店）.pdf`, safe on every system."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "", spec.partner_name) or "partner"
    return f"{_('海报')}-{spec.code}-{name}.{fmt}"


def export_dir() -> Path:
    """Where the app saves exports: $TUAN_EXPORT_DIR, else Documents/tuan."""
    chosen = os.environ.get(EXPORT_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path() / "tuan"


def _all_text(spec: PosterSpec, layout: Layout) -> str:
    return "".join(layout.texts) + spec.headline + spec.offer


def render_pdf(spec: PosterSpec, font: CjkFont) -> bytes:
    """The poster as an A4 PDF (bytes)."""
    from fpdf import FPDF

    layout = compose(spec, print_medium(), measurer(font))
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()
    pdf.set_title(f"{spec.headline} - {spec.partner_name}")
    pdf.set_author(spec.brand or spec.partner_name)
    pdf.set_creator("tuan")
    pdf.set_lang("zh-CN")
    pdf.add_font("cjk", "", str(font.path), collection_font_number=font.index)
    k = MM_PER_UNIT
    for box in layout.boxes:
        pdf.set_fill_color(*box.color)
        pdf.rect(
            box.x * k,
            box.y * k,
            box.w * k,
            box.h * k,
            style="F",
            round_corners=bool(box.radius),
            corner_radius=box.radius * k,
        )
    for line in layout.lines:
        pdf.set_font("cjk", size=line.size * k * PT_PER_MM)
        pdf.set_text_color(*line.color)
        width = pdf.get_string_width(line.text)
        baseline = (line.cy + BASELINE * line.size) * k
        pdf.text(x=line.cx * k - width / 2, y=baseline, text=line.text)
    assert layout.qr is not None
    if spec.qr_image_path:
        _pdf_image(pdf, Path(spec.qr_image_path), layout.qr)
    else:
        _pdf_qr(pdf, spec.qr_payload, layout.qr)
    return bytes(pdf.output(output_producer_class=pdf_output()))


def _pdf_qr(pdf: Any, payload: str, square: Box) -> None:
    """Vector modules, merged into runs per row, so print stays sharp at any size."""
    matrix = qr_matrix(payload, border=QR_BORDER)
    module = square.w * MM_PER_UNIT / len(matrix)
    x0, y0 = square.x * MM_PER_UNIT, square.y * MM_PER_UNIT
    pdf.set_fill_color(0, 0, 0)
    overlap = module * 0.02  # hides hairline seams some viewers draw between touching squares
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            width = (c - start) * module
            pdf.rect(x0 + start * module, y0 + r * module, width, module + overlap, style="F")


def _fit(image_size: tuple[int, int], square: Box) -> tuple[float, float, float, float]:
    """The image's box inside `square`, aspect kept, centred."""
    width, height = image_size
    scale = min(square.w / width, square.h / height)
    w, h = width * scale, height * scale
    return square.x + (square.w - w) / 2, square.y + (square.h - h) / 2, w, h


def _open_qr_image(path: Path) -> PILImage.Image:
    from PIL import Image, ImageOps

    if not path.is_file():
        message = N_("二维码图片找不到了：{path}。请在海报设置里重新填写群二维码图片")
        raise PosterError(message, "qr_image", code="image.not_found", path=path)
    with Image.open(path) as image:
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "P"):
            background = Image.new("RGB", upright.size, (255, 255, 255))
            background.paste(upright.convert("RGBA"), mask=upright.convert("RGBA").split()[3])
            return background
        return upright.convert("RGB")


def _pdf_image(pdf: Any, path: Path, square: Box) -> None:
    image = _open_qr_image(path)
    x, y, w, h = _fit(image.size, square)
    k = MM_PER_UNIT
    pdf.image(image, x=x * k, y=y * k, w=w * k, h=h * k)


def render_png(spec: PosterSpec, font: CjkFont) -> PILImage.Image:
    """The poster as a 1080×1920 RGB image."""
    from PIL import Image, ImageDraw

    layout = compose(spec, phone_medium(), measurer(font))
    image = Image.new("RGB", PNG_SIZE, layout.background)
    draw = ImageDraw.Draw(image)
    k = PX_PER_UNIT
    for box in layout.boxes:
        corners = [box.x * k, box.y * k, (box.x + box.w) * k - 1, (box.y + box.h) * k - 1]
        if box.radius:
            draw.rounded_rectangle(corners, radius=box.radius * k, fill=box.color)
        else:
            draw.rectangle(corners, fill=box.color)
    for line in layout.lines:
        face = _pil_font(font.path, font.index, round(line.size * k))
        baseline = (line.cy + BASELINE * line.size) * k
        draw.text((line.cx * k, baseline), line.text, font=face, fill=line.color, anchor="ms")
    assert layout.qr is not None
    if spec.qr_image_path:
        _png_image(image, Path(spec.qr_image_path), layout.qr)
    else:
        _png_qr(draw, spec.qr_payload, layout.qr)
    return image


def _png_qr(draw: Any, payload: str, square: Box) -> None:
    """Whole-pixel modules (no blur between modules), centred in the square."""
    matrix = qr_matrix(payload, border=QR_BORDER)
    side = int(square.w * PX_PER_UNIT)
    module = side // len(matrix)
    offset = (side - module * len(matrix)) // 2
    x0 = int(square.x * PX_PER_UNIT) + offset
    y0 = int(square.y * PX_PER_UNIT) + offset
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                left, top = x0 + c * module, y0 + r * module
                draw.rectangle([left, top, left + module - 1, top + module - 1], fill=(0, 0, 0))


def _png_image(canvas: PILImage.Image, path: Path, square: Box) -> None:
    from PIL import Image

    image = _open_qr_image(path)
    x, y, w, h = (round(v * PX_PER_UNIT) for v in _fit(image.size, square))
    growing = w > image.width
    method = Image.Resampling.NEAREST if growing else Image.Resampling.LANCZOS
    canvas.paste(image.resize((max(1, w), max(1, h)), method), (x, y))


def check_poster(spec: PosterSpec, font: CjkFont, now: datetime | None = None) -> list[str]:
    """Refuse a poster without a QR; return warnings (missing glyphs, an expired group QR)."""
    if not spec.has_qr:
        message = N_("「{partner}」的海报还没有二维码：请先设置二维码内容或群二维码图片")
        raise PosterError(message, "qr_payload", code="qr.empty", partner=spec.partner_name)
    warnings = []
    layout = compose(spec, phone_medium(), measurer(font))
    lacking = missing_glyphs(font, _all_text(spec, layout))
    if lacking:
        message = _(
            "字体 {font} 里没有这些字，海报上会缺字：{chars}。请换字体（--font）或改掉这些字"
        )
        warnings.append(message.format(font=font.label, chars=lacking))
    expiry = spec.expiry_message(now or clock.now())
    if expiry:
        warnings.append(expiry)
    return warnings


def export_poster(
    spec: PosterSpec, path: str | Path, font: CjkFont, now: datetime | None = None
) -> Export:
    """Write the poster to `path` (.pdf or .png); never leaves a half-written file."""
    target = Path(path).expanduser()
    fmt = poster_format(target)
    warnings = check_poster(spec, font, now)
    if not target.parent.is_dir():
        message = N_("文件夹不存在：{folder}，请先建好文件夹或换一个保存位置")
        raise PosterError(message, "path", code="path.no_folder", folder=target.parent)
    if fmt == "pdf":
        data = render_pdf(spec, font)
    else:
        buffer = BytesIO()
        render_png(spec, font).save(buffer, format="PNG")
        data = buffer.getvalue()
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(data)
    partial.replace(target)
    return Export(target, warnings)


def print_command() -> list[str] | None:
    """The system's print command (`lp`, else `lpr`), or None."""
    for name in ("lp", "lpr"):
        found = shutil.which(name)
        if found:
            return [found]
    return None


def send_to_printer(path: Path) -> str:
    """Send a PDF to the default printer; returns what happened, or raises PrintError."""
    command = print_command()
    if command is None:
        message = N_(
            "这台电脑上没有打印命令（lp 或 lpr），海报没有打印。"
            "PDF 已保存在：{path}，请用 PDF 阅读器打开后打印"
        )
        raise PrintError(message, code="print.no_command", path=path)
    try:
        result = subprocess.run(
            [*command, str(path)], capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        message = N_("打印失败：{error}。PDF 在：{path}")
        raise PrintError(message, error=error, path=path) from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or str(result.returncode)
        message = N_("打印失败（{cmd}）：{error}。PDF 在：{path}")
        raise PrintError(message, cmd=Path(command[0]).name, error=detail, path=path)
    return _("已发送到打印机（{cmd}）：{path}").format(cmd=Path(command[0]).name, path=path)
