"""The bundled Noto Sans SC: posters and pickup PDFs work on a machine with no Chinese font.

Every test here hides the system's fonts (or stands in its own), so it checks the same thing on a
bare Linux box, on CI with fonts-wqy-microhei, and on a leader's Mac.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from tuan.cli import app
from tuan.db import Database
from tuan.domain.partners.poster_render import export_poster
from tuan.domain.partners.posters import poster_spec
from tuan.domain.pickup.export_data import load_export
from tuan.domain.shared import fonts
from tuan.domain.shared.fonts import CjkFont, FontError, bundled_font, find_cjk_font

runner = CliRunner()
DEMO_CHAIN = "72"  # the demo's open chain


@pytest.fixture
def no_system_font(monkeypatch: pytest.MonkeyPatch) -> CjkFont:
    """No --font, no $TUAN_FONT, nothing at the usual paths, nothing from fontconfig."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "system_candidates", lambda platform=None: [])
    monkeypatch.setattr(fonts, "fontconfig_candidates", list)
    bundled = bundled_font()
    assert bundled is not None, "the pylopdf-fonts-zh-cn package comes with `uv sync`"
    return bundled


@pytest.fixture
def other_font(tmp_path: Path) -> CjkFont:
    """A Chinese font that is not the bundled file (a copy of it, under another name)."""
    bundled = bundled_font()
    assert bundled is not None
    copy = tmp_path / "fonts" / "SystemHei.otf"
    copy.parent.mkdir()
    shutil.copyfile(bundled.path, copy)
    return CjkFont(copy)


def _pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def _decode(path: Path) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(Image.open(path))]


def test_with_no_system_font_the_bundled_noto_sans_sc_is_chosen(no_system_font: CjkFont) -> None:
    found = find_cjk_font()
    assert found == no_system_font
    assert found.path.name == "NotoSansSC-Regular.otf" and found.path.is_file()
    assert not fonts.missing_glyphs(found, "扫码入群悦动健身（阳光店）王阿姨冷榨橄榄油￥¥0123")


def test_the_pdf_poster_made_with_the_bundled_font_reads_back_as_chinese(
    demo_db: Database, no_system_font: CjkFont, tmp_path: Path
) -> None:
    with demo_db.session() as s:
        spec = poster_spec(s, 1)
    result = export_poster(spec, tmp_path / "p.pdf", find_cjk_font())
    assert result.warnings == [], "no missing glyphs, no QR warning"
    assert spec.partner_name == "悦动健身（阳光店）" and spec.code == "YD01"
    text = "".join(_pdf_text(result.path).split())
    assert "扫码入群" in text and spec.partner_name in text and spec.code in text
    assert "绿源生活" in text
    page = PdfReader(result.path).pages[0]
    (font,) = page["/Resources"]["/Font"].values()  # type: ignore[index]  # pypdf: an entry is a PdfObject
    descendant = font.get_object()["/DescendantFonts"][0].get_object()
    assert "NotoSansSC" in descendant["/BaseFont"]
    assert "/FontFile2" in descendant["/FontDescriptor"], "embedded with TrueType outlines"


def test_the_png_poster_made_with_the_bundled_font_scans_to_the_partners_link(
    demo_db: Database, no_system_font: CjkFont, tmp_path: Path
) -> None:
    with demo_db.session() as s:
        spec = poster_spec(s, 1)
    png = export_poster(spec, tmp_path / "p.png", find_cjk_font()).path
    assert Image.open(png).size == (1080, 1920)
    assert _decode(png) == [spec.qr_payload]
    assert spec.qr_payload.endswith("src=YD01"), "the link carries the partner's source code"


def test_the_bundled_font_draws_chinese_in_the_png_not_boxes(no_system_font: CjkFont) -> None:
    from PIL import ImageDraw, ImageFont

    face = ImageFont.truetype(str(no_system_font.path), size=64)

    def drawn(char: str) -> bytes:
        canvas = Image.new("L", (80, 80))
        ImageDraw.Draw(canvas).text((8, 0), char, font=face, fill=255)
        return canvas.tobytes()

    missing = drawn("\U0010fffd")  # a private-use code point: the font's "no such glyph" box
    glyphs = {char: drawn(char) for char in "扫码入群"}
    assert all(any(g) and g != missing for g in glyphs.values())
    assert len(set(glyphs.values())) == 4, "four different characters, four different shapes"


def test_cli_posters_work_without_a_system_font(
    demo_path: Path, demo_db: Database, no_system_font: CjkFont, tmp_path: Path
) -> None:
    with demo_db.session() as s:
        spec = poster_spec(s, 1)
    for name in ("p.png", "p.pdf"):
        out = tmp_path / name
        result = runner.invoke(app, ["--db", str(demo_path), "poster", "1", "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    assert _decode(tmp_path / "p.png") == [spec.qr_payload]
    assert spec.partner_name in "".join(_pdf_text(tmp_path / "p.pdf").split())


def test_cli_pickup_pdf_without_a_system_font_reads_back_as_chinese(
    demo_path: Path, demo_db: Database, no_system_font: CjkFont, tmp_path: Path
) -> None:
    out = tmp_path / "list.pdf"
    args = ["--db", str(demo_path), "pickup", "export", DEMO_CHAIN, "--format", "pdf"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with demo_db.session() as s:
        data = load_export(s, int(DEMO_CHAIN))
    text = _pdf_text(out)
    assert data.chain.title in text
    assert data.rows, "the demo's open chain has orders"
    for row in data.rows:
        assert row.nickname in text, row.nickname
        for line in row.lines:
            assert line.name in text, line.name
    assert "\x00" not in text and "序号" in text and "团员" in text


def test_the_system_font_wins_over_the_bundle(
    monkeypatch: pytest.MonkeyPatch, other_font: CjkFont
) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "system_candidates", lambda platform=None: [other_font])
    monkeypatch.setattr(fonts, "fontconfig_candidates", list)
    assert find_cjk_font() == other_font
    assert find_cjk_font(candidates=[other_font], use_fontconfig=False) == other_font


def test_a_fontconfig_font_wins_over_the_bundle(
    monkeypatch: pytest.MonkeyPatch, other_font: CjkFont
) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "fontconfig_candidates", lambda: [other_font])
    assert find_cjk_font(candidates=[]) == other_font


def test_tuan_font_and_font_win_over_the_bundle(
    monkeypatch: pytest.MonkeyPatch, no_system_font: CjkFont, other_font: CjkFont, tmp_path: Path
) -> None:
    monkeypatch.setenv(fonts.ENV_VAR, str(other_font.path))
    assert find_cjk_font() == other_font
    named = tmp_path / "Named.otf"
    shutil.copyfile(other_font.path, named)
    assert find_cjk_font(named) == CjkFont(named), "--font wins over $TUAN_FONT too"


def test_a_broken_install_without_the_bundle_still_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, no_system_font: CjkFont
) -> None:
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # import fails
    monkeypatch.setattr(sys, "platform", "linux")  # what fonts.sys.platform reads
    assert bundled_font() is None
    with pytest.raises(FontError, match="fonts-wqy-microhei"):
        find_cjk_font()


def test_a_bundle_file_that_is_gone_is_not_used(
    monkeypatch: pytest.MonkeyPatch, no_system_font: CjkFont, tmp_path: Path
) -> None:
    import pylopdf_fonts_zh_cn

    monkeypatch.setattr(pylopdf_fonts_zh_cn, "sans_path", lambda: tmp_path / "gone.otf")
    assert bundled_font() is None
    with pytest.raises(FontError, match="找不到中文字体"):
        find_cjk_font()
    assert find_cjk_font(use_bundled=False, candidates=[no_system_font]) == no_system_font
