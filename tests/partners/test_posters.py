"""Posters: the PNG's QR scans back, the PDF's text is text, fonts are found or named, QR expiry."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from rich.cells import cell_len
from typer.testing import CliRunner

from tuan import clock
from tuan.cli import app
from tuan.db import Database
from tuan.domain.demo.story import POSTER_HEADLINE
from tuan.domain.partners.poster_layout import NO_END, NO_START, qr_matrix, wrap
from tuan.domain.partners.poster_render import export_poster, render_png
from tuan.domain.partners.posters import (
    PosterDraft,
    PosterError,
    PosterSpec,
    check_draft,
    poster_spec,
    qr_image_dir,
    qr_status,
    save_poster,
)
from tuan.domain.shared import fonts
from tuan.domain.shared.fonts import CjkFont, FontError, find_cjk_font, install_hint

runner = CliRunner()


@pytest.fixture(scope="module")
def cjk_font() -> CjkFont:
    """The system's Chinese font, else the Noto Sans SC bundled with the app."""
    return find_cjk_font()


@pytest.fixture
def no_font_at_all(monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken install: no system font, and the bundled font's package cannot be imported."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "system_candidates", lambda platform=None: [])
    monkeypatch.setattr(fonts, "fontconfig_candidates", lambda: [])
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)
    monkeypatch.setattr(sys, "platform", "linux")  # what fonts.sys.platform reads


def _decode(path_or_image: Path | Image.Image) -> list[str]:
    import zxingcpp

    image = Image.open(path_or_image) if isinstance(path_or_image, Path) else path_or_image
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _pdf_text(path: Path) -> str:
    text = PdfReader(path).pages[0].extract_text()
    return "".join(text.split())


def _spec(**changes: Any) -> PosterSpec:
    base: dict[str, Any] = {
        "partner_id": 1,
        "partner_name": "悦动健身（阳光店）",
        "code": "YD01",
        "headline": POSTER_HEADLINE,
        "offer": "新人首单立减10元",
        "brand": "绿源生活",
        "qr_payload": "https://work.weixin.qq.com/ca/lvyuan?src=YD01",
    }
    return PosterSpec(**{**base, **changes})


def test_posters_for_all_five_demo_partners(
    demo_db: Database, cjk_font: CjkFont, tmp_path: Path
) -> None:
    with demo_db.session() as s:
        specs = [poster_spec(s, pid) for pid in range(1, 6)]
    assert [s.code for s in specs] == ["YD01", "LX02", "TG03", "QY04", "CG05"]
    for spec in specs:
        png = export_poster(spec, tmp_path / f"{spec.code}.png", cjk_font).path
        assert Image.open(png).size == (1080, 1920)
        assert _decode(png) == [spec.qr_payload], f"{spec.code}'s phone poster scans"
        pdf = export_poster(spec, tmp_path / f"{spec.code}.pdf", cjk_font).path
        text = _pdf_text(pdf)
        assert "".join(POSTER_HEADLINE.split()) in text, "the headline stays text in the PDF"
        assert spec.code in text and spec.partner_name in text and "绿源生活" in text


def test_pdf_is_a4_with_an_embedded_font(cjk_font: CjkFont, tmp_path: Path) -> None:
    pdf = export_poster(_spec(), tmp_path / "p.pdf", cjk_font).path
    page = PdfReader(pdf).pages[0]
    width_mm, height_mm = (float(v) * 25.4 / 72 for v in page.mediabox.upper_right)
    assert round(width_mm) == 210 and round(height_mm) == 297
    fonts_used = page["/Resources"]["/Font"]  # type: ignore[index]  # pypdf: an entry is a PdfObject
    assert fonts_used, "text is set in an embedded font, not drawn as pictures"


def test_a_long_chinese_payload_scans_back(cjk_font: CjkFont) -> None:
    payload = "欢迎加入绿源生活健康厨房群：https://example.com/join?src=QY04&from=poster"
    assert _decode(render_png(_spec(qr_payload=payload), cjk_font)) == [payload]


@pytest.mark.sqlite_only  # images are kept beside the database file
def test_the_leaders_own_qr_image_is_placed_as_is(
    db: Database, cjk_font: CjkFont, tmp_path: Path
) -> None:
    import qrcode

    group_link = "https://weixin.qq.com/g/AbCdEf123"
    original = tmp_path / "Downloads" / "群二维码.png"
    original.parent.mkdir()
    with original.open("wb") as out:
        qrcode.make(group_link).save(out)
    with db.transaction() as s:
        from tuan.models import Partner

        s.add(Partner(name="莲心瑜伽馆", code="LX02"))
        s.flush()
        draft = PosterDraft(headline="扫码入群", qr_image=str(original))
        poster = save_poster(s, 1, draft, qr_image_dir(db))
    kept = Path(poster.qr_image_path)
    assert kept.parent == tmp_path / "posters" and kept.read_bytes() == original.read_bytes()
    original.unlink()  # the leader tidies Downloads: the poster still prints
    with db.session() as s:
        spec = poster_spec(s, 1)
    assert spec.qr_added_at == clock.now()
    png = export_poster(spec, tmp_path / "lx.png", cjk_font).path
    assert _decode(png) == [group_link]
    assert "扫码入群" in _pdf_text(export_poster(spec, tmp_path / "lx.pdf", cjk_font).path)


def test_a_file_that_is_not_an_image_is_refused(db: Database, tmp_path: Path) -> None:
    notes = tmp_path / "qr.png"
    notes.write_text("not a picture", encoding="utf-8")
    with db.transaction() as s:
        from tuan.models import Partner

        s.add(Partner(name="铁馆", code="TG03"))
        s.flush()
        with pytest.raises(PosterError) as refused:
            save_poster(s, 1, PosterDraft("扫码入群", qr_image=str(notes)), qr_image_dir(db))
    assert refused.value.field == "qr_image" and "不是图片" in str(refused.value)


def test_the_qr_added_time_survives_a_headline_edit(db: Database) -> None:
    from tuan.models import Partner

    with db.transaction() as s:
        s.add(Partner(name="铁馆", code="TG03"))
        s.flush()
        save_poster(s, 1, PosterDraft("旧标题", qr_payload="https://weixin.qq.com/g/x"))
    clock.freeze(clock.now() + timedelta(days=8))
    with db.transaction() as s:
        save_poster(s, 1, PosterDraft("新标题", qr_payload="https://weixin.qq.com/g/x"))
        spec = poster_spec(s, 1)
        assert spec.headline == "新标题"
        assert spec.status()[0] == "已过期 1 天", "a new headline does not renew an old group QR"
        save_poster(s, 1, PosterDraft("新标题", qr_payload="https://weixin.qq.com/g/new"))
        assert poster_spec(s, 1).status() == ("剩 7 天", False)


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (PosterDraft(" ", qr_payload="x"), "headline", "标题不能为空"),
        (PosterDraft("扫码入群"), "qr_payload", "请填写二维码内容"),
        (PosterDraft("扫码入群", qr_payload="~/Downloads/qr.png"), "qr_payload", "群二维码图片"),
        (PosterDraft("扫码入群", qr_payload="x" * 301), "qr_payload", "太长"),
        (PosterDraft("扫" * 41, qr_payload="x"), "headline", "最多 40 字"),
    ],
)
def test_drafts_that_would_make_a_useless_poster_are_refused(
    draft: PosterDraft, field: str, words: str
) -> None:
    with pytest.raises(PosterError) as refused:
        check_draft(draft)
    assert refused.value.field == field and words in str(refused.value)


def test_qr_status_labels() -> None:
    now = clock.now()
    link = "https://work.weixin.qq.com/ca/x"
    group = "https://weixin.qq.com/g/x"
    assert qr_status(link, "", now - timedelta(days=30), now) == ("长期有效", False)
    assert qr_status("", "", None, now) == ("未设置", True)
    assert qr_status(group, "", now - timedelta(days=2), now) == ("剩 5 天", False)
    assert qr_status("", "/q.png", now - timedelta(days=6, hours=1), now) == ("剩 1 天", True)
    assert qr_status(group, "", now - timedelta(days=9), now) == ("已过期 2 天", True)


def test_expired_group_qr_warns_and_still_exports(
    demo_db: Database, cjk_font: CjkFont, tmp_path: Path
) -> None:
    with demo_db.session() as s:
        fresh, soon, expired = (poster_spec(s, pid) for pid in (1, 2, 3))
    assert fresh.expiry_message() is None, "a WeCom contact link does not expire"
    assert "即将过期" in (soon.expiry_message() or "")
    message = expired.expiry_message() or ""
    assert "铁馆力量训练" in message and "9 天前" in message and "已经过期" in message
    result = export_poster(expired, tmp_path / "tg.pdf", cjk_font)
    assert result.path.exists() and result.warnings == [message]


def test_cli_warns_about_an_expired_qr(demo_path: Path, cjk_font: CjkFont, tmp_path: Path) -> None:
    out = tmp_path / "tg.png"
    result = runner.invoke(app, ["--db", str(demo_path), "poster", "3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "注意" in result.stderr and "已经过期" in result.stderr
    assert _decode(out) == ["https://weixin.qq.com/g/lvyuanTG03"]


def test_missing_font_says_what_to_install(no_font_at_all: None) -> None:
    with pytest.raises(FontError) as missing:
        find_cjk_font(candidates=[], use_fontconfig=False)
    assert "sudo apt install fonts-wqy-microhei" in str(missing.value)
    assert "--font" in str(missing.value)
    assert "PingFang" in install_hint("darwin")
    assert "msyh.ttc" in install_hint("win32")


def test_a_named_font_must_exist_and_draw_chinese(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="字体文件不存在"):
        find_cjk_font(tmp_path / "nope.ttf")
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if latin.exists():
        with pytest.raises(FontError, match="不含中文字形"):
            find_cjk_font(latin)


def test_font_from_the_environment(monkeypatch: pytest.MonkeyPatch, cjk_font: CjkFont) -> None:
    monkeypatch.setenv(fonts.ENV_VAR, str(cjk_font.path))
    assert find_cjk_font(candidates=[], use_fontconfig=False).path == cjk_font.path


def test_cli_without_a_font_exits_1_and_names_the_package(
    demo_path: Path, tmp_path: Path, no_font_at_all: None
) -> None:
    out = tmp_path / "p.pdf"
    result = runner.invoke(app, ["--db", str(demo_path), "poster", "1", "-o", str(out)])
    assert result.exit_code == 1
    assert "fonts-wqy-microhei" in result.stderr and not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["poster", "99"], "找不到合作点位 99"),
        (["poster", "1", "-o", "poster.txt"], ".pdf"),
        (["poster", "1", "-o", "poster.png", "--print"], "只能打印 PDF"),
        (["poster", "1", "--font", "/no/such/font.ttf"], "字体文件不存在"),
    ],
)
def test_cli_bad_input_exits_2(demo_path: Path, args: list[str], words: str) -> None:
    result = runner.invoke(app, ["--db", str(demo_path), *args])
    assert result.exit_code == 2
    assert words in result.stderr


def test_print_without_a_print_command(
    demo_path: Path, cjk_font: CjkFont, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    out = tmp_path / "p.pdf"
    result = runner.invoke(app, ["--db", str(demo_path), "poster", "1", "-o", str(out), "--print"])
    assert result.exit_code == 1
    assert "没有打印命令" in result.stderr and str(out) in result.stderr
    assert out.exists(), "the PDF is kept for printing by hand"


def test_print_sends_the_pdf_to_lp(
    demo_path: Path, cjk_font: CjkFont, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "printed.txt"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\necho "$@" > "{log}"\n', encoding="utf-8")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["--db", str(demo_path), "poster", "2", "--print"])
    assert result.exit_code == 0, result.output
    printed = log.read_text(encoding="utf-8").strip()
    assert printed.endswith("海报-LX02-莲心瑜伽馆.pdf") and Path(printed).exists()
    assert "已发送到打印机（lp）" in result.stderr


def test_wrapping_keeps_punctuation_and_book_titles_in_place() -> None:
    def measure(text: str, size: float) -> float:
        return cell_len(text) * size / 2

    assert wrap(POSTER_HEADLINE, width=22, size=2, measure=measure) == [
        "扫码入群，免费领取",
        "《7天健康食谱》",
    ], "the book title stays whole"
    lines = wrap("新人首单立减10元，每周三分享健康食谱", width=20, size=2, measure=measure)
    assert lines == ["新人首单立减10元，", "每周三分享健康食谱"], "breaks after the comma"
    lines = wrap("一二三四五六七八九，十", width=18, size=2, measure=measure)
    assert not any(line[0] in NO_START or line[-1] in NO_END for line in lines), lines


WRAP_ALPHABET = "扫码入群，免费领取《7天健康食谱》。abc 12!（）、"


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(alphabet=WRAP_ALPHABET, min_size=1, max_size=40),
    width=st.integers(min_value=6, max_value=30),
)
def test_wrapping_loses_nothing_and_fits(text: str, width: int) -> None:
    lines = wrap(text, width, 1, lambda part, _size: cell_len(part))
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert cell_len(line) <= width or len(line) <= 2, line


def test_terminal_preview_draws_the_same_modules() -> None:
    from tuan.tui.partners.preview import DARK, half_blocks

    matrix = qr_matrix("https://work.weixin.qq.com/ca/lvyuan?src=YD01", border=2)
    text = half_blocks(matrix)
    rebuilt: list[list[bool]] = []
    for line in text.split("\n"):
        top: list[bool] = []
        bottom: list[bool] = []
        for span in line.spans:
            style = span.style
            assert not isinstance(style, str) and style.color and style.bgcolor
            top += [style.color.name == DARK] * (span.end - span.start)
            bottom += [style.bgcolor.name == DARK] * (span.end - span.start)
        rebuilt += [top, bottom]
    assert len(text.split("\n")) == (len(matrix) + 1) // 2, "two module rows per line"
    assert rebuilt[: len(matrix)] == matrix


def test_fontconfig_finds_a_chinese_font_when_the_usual_paths_are_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    found = find_cjk_font(candidates=[])
    assert not fonts.missing_glyphs(found, "扫码入群")
    from_fontconfig = [f for f in fonts.fontconfig_candidates() if fonts._usable(f)]
    expected = from_fontconfig[0] if from_fontconfig else fonts.bundled_font()
    assert found == expected, "fontconfig's font when it has one, else the bundled one"
