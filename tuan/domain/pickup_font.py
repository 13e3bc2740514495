"""Finding a font that can print Chinese, for PDF exports.

A minimal finder kept beside the pickup exports for now; it should merge with the posters'
`tuan/domain/fonts.py` once both land. Order: $TUAN_FONT, fontconfig's Chinese fonts, then the
usual places on Linux, macOS and Windows. TrueType collections (.ttc) work with fpdf2.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tuan.i18n import _

ENV_VAR = "TUAN_FONT"
KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
)
# fpdf2 embeds TrueType outlines; CFF-flavoured .otf files (Noto CJK) are a last resort.
_PREFERRED_SUFFIXES = (".ttf", ".ttc")


class FontMissing(RuntimeError):
    """No Chinese font was found; the message says what to install."""


def _fontconfig_fonts() -> list[Path]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        result = subprocess.run(
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return []
    paths = [Path(line.split(":")[0].strip()) for line in result.stdout.splitlines() if line]
    return sorted(paths, key=lambda p: (p.suffix.lower() not in _PREFERRED_SUFFIXES, str(p)))


def find_cjk_font() -> Path:
    """The path of a font with Chinese glyphs.

    Raises:
        FontMissing: nothing found; the message names the package to install.
    """
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        path = Path(chosen).expanduser()
        if path.is_file():
            return path
        raise FontMissing(_("{var} 指向的字体文件不存在：{path}").format(var=ENV_VAR, path=path))
    for path in [*(Path(p) for p in KNOWN_PATHS), *_fontconfig_fonts()]:
        if path.is_file() and path.suffix.lower() in _PREFERRED_SUFFIXES:
            return path
    raise FontMissing(
        _(
            "找不到中文字体，无法生成 PDF。请安装 fonts-wqy-microhei"
            "（Debian/Ubuntu：sudo apt install fonts-wqy-microhei），"
            "或用环境变量 {var} 指定一个 .ttf/.ttc 字体文件。"
        ).format(var=ENV_VAR)
    )
