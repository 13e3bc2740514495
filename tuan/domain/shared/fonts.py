"""Finding a font that draws Chinese, on macOS, Windows and Linux.

Posters are text in a PDF and pixels in a PNG; both need a CJK font file. The search order is:
an explicit path (`--font`), then $TUAN_FONT, then the usual system locations, then fontconfig
(`fc-list :lang=zh`), then the Noto Sans SC that comes with the app (the pylopdf-fonts-zh-cn
package), so a machine without a Chinese font still makes posters. Only when even that is missing
(a broken install) does the error say exactly what to install.

PDFs: fpdf2 embeds a font with PostScript (CFF) outlines, such as Noto Sans SC, as a CID font
with its own encoding CMap. Viewers draw and search that, but simpler text extractors (pypdf
among them) read its text as noise, so `pdf_output()` gives the glyphs a PDF uses TrueType
outlines just before writing it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuan.domain.shared.errors import DomainError, Message
from tuan.i18n import N_

if TYPE_CHECKING:
    from fpdf.output import OutputProducer

ENV_VAR = "TUAN_FONT"
# i18n-keep: glyphs to probe; a font that lacks these cannot set a poster
PROBE = "扫码入群领取食谱"

_WINDIR = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"

# (path, face index inside a .ttc collection), best first within each system.
MACOS_FONTS: list[tuple[Path, int]] = [
    (Path("/System/Library/Fonts/PingFang.ttc"), 0),
    (Path("/System/Library/Fonts/STHeiti Medium.ttc"), 0),
    (Path("/System/Library/Fonts/STHeiti Light.ttc"), 0),
    (Path("/System/Library/Fonts/Hiragino Sans GB.ttc"), 0),
    (Path("/Library/Fonts/Arial Unicode.ttf"), 0),
    (Path("/System/Library/Fonts/Supplemental/Arial Unicode.ttf"), 0),
    (Path("/System/Library/Fonts/Supplemental/Songti.ttc"), 0),
]
WINDOWS_FONTS: list[tuple[Path, int]] = [
    (_WINDIR / "msyh.ttc", 0),
    (_WINDIR / "msyh.ttf", 0),
    (_WINDIR / "simhei.ttf", 0),
    (_WINDIR / "simsun.ttc", 0),
]
LINUX_FONTS: list[tuple[Path, int]] = [
    (Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/wqy-microhei/wqy-microhei.ttc"), 0),
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),  # face 2: SC
    (Path("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc"), 2),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"), 0),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),
]


@dataclass(frozen=True)
class CjkFont:
    """A font file (and face, for .ttc collections) that covers Chinese."""

    path: Path
    index: int = 0

    @property
    def label(self) -> str:
        """The file name, for messages."""
        return self.path.name


class FontError(DomainError, RuntimeError):
    """No usable Chinese font; the message says what to install or pass."""

    code = "font.unusable"


def install_hint(platform: str | None = None) -> str:
    """What to install on this system to get a Chinese font."""
    return str(_install_hint(platform))


def _install_hint(platform: str | None) -> Message:
    platform = platform or sys.platform
    if platform == "darwin":
        return Message(
            N_("macOS 自带苹方（PingFang）和华文黑体，请确认 /System/Library/Fonts 里有它们")
        )
    if platform.startswith("win"):
        return Message(N_("Windows 自带微软雅黑：请确认 C:\\Windows\\Fonts\\msyh.ttc 存在"))
    return Message(
        N_(
            "安装文泉驿微米黑：sudo apt install fonts-wqy-microhei"
            "（Fedora：sudo dnf install wqy-microhei-fonts）"
        )
    )


def missing_font_message(platform: str | None = None) -> str:
    """The message shown when no Chinese font is found."""
    return str(_missing_font(platform))


def _missing_font(platform: str | None) -> Message:
    message = N_(
        "找不到中文字体，海报上的中文无法显示。{hint}；"
        "或用 --font 指定一个中文字体文件（.ttf/.ttc/.otf），应用里可设置环境变量 TUAN_FONT。"
    )
    return Message(message, hint=_install_hint(platform))


def missing_glyphs(font: CjkFont, text: str) -> str:
    """The characters of `text` this font cannot draw (spaces and controls ignored)."""
    covered = _codepoints(font.path, font.index)
    seen: dict[str, None] = {}
    for char in text:
        if not char.isspace() and ord(char) not in covered:
            seen[char] = None
    return "".join(seen)


@lru_cache(maxsize=8)
def _codepoints(path: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def _usable(font: CjkFont) -> bool:
    try:
        return font.path.is_file() and not missing_glyphs(font, PROBE)
    except Exception:  # a broken or unreadable file is simply not a candidate
        return False


def check_font(path: str | os.PathLike[str], index: int = 0) -> CjkFont:
    """The font the leader named, or a FontError saying why it cannot be used."""
    font = CjkFont(Path(path).expanduser(), index)
    if not font.path.is_file():
        message = N_("字体文件不存在：{path}，请检查文件路径")
        raise FontError(message, code="font.not_found", path=font.path)
    try:
        lacking = missing_glyphs(font, PROBE)
    except Exception as error:
        message = N_("无法读取字体文件 {path}：{error}")
        raise FontError(message, code="font.unreadable", path=font.path, error=error) from error
    if lacking:
        message = N_("字体 {name} 不含中文字形，请换一个中文字体（{hint}）")
        raise FontError(message, code="font.no_chinese", name=font.label, hint=_install_hint(None))
    return font


def system_candidates(platform: str | None = None) -> list[CjkFont]:
    """The well-known font files for this system first, then the other systems' paths."""
    platform = platform or sys.platform
    if platform == "darwin":
        order = [MACOS_FONTS, LINUX_FONTS, WINDOWS_FONTS]
    elif platform.startswith("win"):
        order = [WINDOWS_FONTS, MACOS_FONTS, LINUX_FONTS]
    else:
        order = [LINUX_FONTS, MACOS_FONTS, WINDOWS_FONTS]
    user_mac = Path.home() / "Library" / "Fonts"
    extra = [(user_mac / "PingFang.ttc", 0), (user_mac / "Arial Unicode.ttf", 0)]
    return [CjkFont(path, index) for group in order for path, index in group] + [
        CjkFont(path, index) for path, index in extra
    ]


def fontconfig_candidates() -> list[CjkFont]:
    """Chinese fonts fontconfig knows (`fc-list :lang=zh`), sans-serif faces first."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "-f", "%{file}\t%{index}\t%{family}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    found: list[tuple[int, CjkFont]] = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) < 3 or not parts[0]:
            continue
        index = int(parts[1]) if parts[1].isdigit() else 0
        family = parts[2].lower()
        rank = 2 if ("mono" in family or "serif" in family) else 0
        # i18n-keep: a font family name
        rank += 0 if ("sc" in family or "hei" in family or "黑" in family) else 1
        found.append((rank, CjkFont(Path(parts[0]), index)))
    found.sort(key=lambda pair: pair[0])
    return [font for _rank, font in found]


def bundled_font() -> CjkFont | None:
    """The Noto Sans SC shipped with the app, or None when that package is missing or broken."""
    try:
        from pylopdf_fonts_zh_cn import sans_path
    except ImportError:
        return None
    font = CjkFont(Path(sans_path()))
    return font if _usable(font) else None


def find_cjk_font(
    explicit: str | os.PathLike[str] | None = None,
    *,
    candidates: list[CjkFont] | None = None,
    use_fontconfig: bool = True,
    use_bundled: bool = True,
) -> CjkFont:
    """The font posters use: `explicit`, $TUAN_FONT, system locations, fontconfig, the bundle.

    Raises:
        FontError: the named font is unusable, or there is no Chinese font at all (not even the
            bundled one: a broken install).
    """
    if explicit:
        return check_font(explicit)
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return check_font(from_env)
    for font in candidates if candidates is not None else system_candidates():
        if _usable(font):
            return font
    if use_fontconfig:
        for font in fontconfig_candidates():
            if _usable(font):
                return font
    bundled = bundled_font() if use_bundled else None
    if bundled is not None:
        return bundled
    raise FontError(_missing_font(None), code="font.missing")


def pdf_output() -> type[OutputProducer]:
    """The fpdf2 output producer to write PDFs with: `pdf.output(path, output_producer_class=...)`.

    It first gives every font with PostScript (CFF) outlines TrueType outlines for the glyphs the
    document uses (a tenth of a second for a poster), so the PDF embeds a TrueType CID font with
    Identity-H encoding, whose text pypdf and other simple extractors read back too. Fonts that
    already have TrueType outlines pass untouched.
    """
    return _pdf_output_class()


@lru_cache(maxsize=1)
def _pdf_output_class() -> type[OutputProducer]:
    from fpdf.output import OutputProducer

    class PdfOutput(OutputProducer):
        def bufferize(self) -> bytearray:
            for font in self.fpdf.fonts.values():
                _truetype_outlines(font)
            return super().bufferize()

    return PdfOutput


def _truetype_outlines(font: Any) -> None:
    """Replace an fpdf2 font's CFF outlines by TrueType ones, for the glyphs it has used."""
    ttfont = getattr(font, "ttfont", None)
    used = getattr(getattr(font, "subset", None), "get_all_glyph_names", None)
    if ttfont is None or used is None or "CFF " not in ttfont:
        return  # not a font file, or an fpdf2 that changed: the PDF keeps its (valid) CFF font
    from fontTools import subset as ftsubset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    options = ftsubset.Options(notdef_outline=True, recommended_glyphs=True, layout_features=[])
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "DSIG"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(glyphs=list(used()))
    subsetter.subset(ttfont)

    order = ttfont.getGlyphOrder()
    outlines = ttfont.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(outlines)
        # 1 unit of 1000: the quadratic curves stay within a hair of the cubic ones
        outlines[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    ttfont["glyf"] = glyf
    ttfont["loca"] = newTable("loca")
    del ttfont["CFF "]
    maxp = newTable("maxp")  # version 1.0, as TrueType outlines need; counts recomputed on save
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    maxp.maxZones = 1
    for field in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, field, 0)
    ttfont["maxp"] = maxp
    post = ttfont["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    ttfont["head"].glyphDataFormat = 0
    ttfont.sfntVersion = "\x00\x01\x00\x00"
    font.is_cff = False
    font.is_cid_keyed = False
