"""Pickup exports, each read back: XLSX (openpyxl), PDF (pypdf text), CSV, TXT; phone masking."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.pickup.test_checklist import chain_id, pickup_path  # noqa: F401 (fixtures)
from tuan.cli import app
from tuan.db import Database
from tuan.domain.pickup.collect import collect_orders
from tuan.domain.pickup.export_data import (
    KTT_COLUMNS,
    ExportData,
    ExportError,
    ExportOptions,
    load_export,
)
from tuan.domain.pickup.exports import export
from tuan.domain.shared.fonts import FontError, find_cjk_font

runner = CliRunner()


@pytest.fixture
def data(db: Database, chain_id: int) -> ExportData:  # noqa: F811
    with db.transaction() as s:
        collect_orders(s, [1])  # order 1 (王阿姨) collected
    with db.session() as s:
        return load_export(s, chain_id)


def test_xlsx_has_one_column_per_product_that_sums(data: ExportData, tmp_path: Path) -> None:
    path = export(data, tmp_path / "list.xlsx", ExportOptions("xlsx"))
    sheet = load_workbook(path).active
    assert sheet is not None and sheet.title == "核对清单"
    rows: list[list[Any]] = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:4] == ["序号", "团员", "房号", "电话"]
    olive = header.index("冷榨橄榄油")
    body = rows[1:-1]
    assert [r[0] for r in body] == [1, 3, 2, 4, 5]
    assert sum(r[olive] or 0 for r in body) == 4 == rows[-1][olive]
    assert rows[-1][0] == "合计"
    assert body[0][3] == "138****1234", "phones masked by default"
    amount = header.index("金额")
    assert Decimal(str(body[0][amount])) == Decimal("267")
    assert body[0][header.index("领取")] == "已领取"


def test_xlsx_ktt_preset_has_kuaituantuan_columns(data: ExportData, tmp_path: Path) -> None:
    options = ExportOptions("xlsx", show_phone=True, preset="ktt")
    path = export(data, tmp_path / "ktt.xlsx", options)
    sheet = load_workbook(path).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == KTT_COLUMNS
    first = dict(zip(KTT_COLUMNS, rows[1], strict=True))
    assert first["跟团号"] == 1 and first["下单人"] == "王阿姨"
    assert first["商品"] == "冷榨橄榄油×2，五常大米×1"
    assert first["联系电话"] == "13812341234", "--show-phone keeps the number"
    assert first["自提点"] == "3号楼门口" and first["详细地址"] == "3-1202"
    assert first["订单状态"] == "已核销"
    assert first["退款金额"] == 0
    second = dict(zip(KTT_COLUMNS, rows[2], strict=True))
    assert second["订单状态"] == "待支付" and second["支付时间"] is None


def test_xlsx_sorting_list_sheets(data: ExportData, tmp_path: Path) -> None:
    path = export(data, tmp_path / "sort.xlsx", ExportOptions("xlsx", sorting=True))
    book = load_workbook(path)
    assert book.sheetnames == ["商品合计", "按楼栋", "赠品"]
    totals = {r[0]: r[1] for r in book["商品合计"].iter_rows(min_row=2, values_only=True) if r}
    assert totals["冷榨橄榄油"] == 4 and totals["感谢卡（每单一张）"] == 5
    gifts = list(book["赠品"].iter_rows(min_row=2, values_only=True))
    assert [(g[0], g[4]) for g in gifts] == [(1, "电子书"), (3, "电子书")]


def test_csv_reads_back(data: ExportData, tmp_path: Path) -> None:
    path = export(data, tmp_path / "list.csv", ExportOptions("csv"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["序号", "团员", "房号"]
    assert rows[1][:4] == ["1", "王阿姨", "3-1202", "138****1234"]
    assert rows[2][3] == "", "李叔 has no phone"
    assert rows[-1][0] == "合计"


def test_txt_groups_by_building_with_boxes(data: ExportData, tmp_path: Path) -> None:
    text = export(data, tmp_path / "list.txt", ExportOptions("txt")).read_text(encoding="utf-8")
    assert "== 3号楼 ==" in text and "== 未填楼栋 ==" in text
    assert "[v] #1" in text and "[ ] #2" in text
    assert "138****1234" in text and "13812341234" not in text
    sorting = export(data, tmp_path / "s.txt", ExportOptions("txt", sorting=True))
    assert "【感谢卡】5 张" in sorting.read_text(encoding="utf-8")


def test_pdf_text_extracts_in_chinese_with_masked_phones(data: ExportData, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = export(data, tmp_path / "list.pdf", ExportOptions("pdf"))
    reader = PdfReader(path)
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595, "A4 portrait"
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in ("测试团", "王阿姨", "3-1202", "冷榨橄榄油×2", "138****1234", "3号楼"):
        assert expected in text
    assert "13812341234" not in text


def test_pdf_sorting_list(data: ExportData, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = export(data, tmp_path / "sort.pdf", ExportOptions("pdf", sorting=True))
    text = "".join(p.extract_text() for p in PdfReader(path).pages)
    assert "感谢卡：5 张" in text and "电子书" in text and "12号楼" in text


def test_missing_font_names_the_package(
    data: ExportData, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    import tuan.domain.shared.fonts as fonts

    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts, "system_candidates", lambda platform=None: [])
    monkeypatch.setattr(fonts, "fontconfig_candidates", list)
    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # a broken install
    monkeypatch.setattr(sys, "platform", "linux")  # what fonts.sys.platform reads
    with pytest.raises(FontError, match="fonts-wqy-microhei"):
        find_cjk_font()
    with pytest.raises(ExportError, match="fonts-wqy-microhei"):
        export(data, tmp_path / "list.pdf", ExportOptions("pdf"))
    assert not (tmp_path / "list.pdf").exists()


def test_bad_combinations_are_refused() -> None:
    with pytest.raises(ExportError, match="pdf、xlsx"):
        ExportOptions("doc").check()
    with pytest.raises(ExportError, match="快团团"):
        ExportOptions("pdf", preset="ktt").check()


def test_cli_export_and_masking(pickup_path: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "out.csv"
    args = ["--db", str(pickup_path), "pickup", "export", "1", "--format", "csv", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "138****1234" in out.read_text(encoding="utf-8-sig")
    shown = runner.invoke(app, [*args[:-2], "-o", "-", "--show-phone"])
    assert shown.exit_code == 0 and "13812341234" in shown.stdout
    sorting = runner.invoke(app, [*args[:4], "1", "-f", "txt", "--sorting", "-o", "-"])
    assert "【商品合计】共 11 件" in sorting.stdout


def test_cli_errors_exit_2(pickup_path: Path, tmp_path: Path) -> None:  # noqa: F811
    base = ["--db", str(pickup_path), "pickup", "export"]
    unknown = runner.invoke(app, [*base, "99", "-o", str(tmp_path / "x.pdf")])
    assert unknown.exit_code == 2 and "找不到接龙 99" in unknown.output
    bad = runner.invoke(app, [*base, "1", "--format", "doc"])
    assert bad.exit_code == 2 and "不支持的格式" in bad.output
    folder = runner.invoke(app, [*base, "1", "-f", "csv", "-o", "/no/such/dir/x.csv"])
    assert folder.exit_code == 2 and "文件夹不存在" in folder.output


def test_cli_list_and_remind(pickup_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    listed = runner.invoke(app, ["--db", str(pickup_path), "pickup", "list", "--json"])
    assert listed.exit_code == 0
    assert '"unpaid": 2' in listed.stdout and '"orders": 5' in listed.stdout
    remind = runner.invoke(app, ["--db", str(pickup_path), "pickup", "remind"])
    assert "新建未取提醒 0 条" in remind.output, "the window has not ended at 10:00"
    from datetime import datetime

    from tuan import clock

    clock.freeze(datetime.fromisoformat("2026-11-27T09:00:00+08:00"))
    remind = runner.invoke(app, ["--db", str(pickup_path), "pickup", "remind"])
    assert "新建未取提醒 5 条" in remind.output


def test_exports_report_progress(data: ExportData, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    export(
        data,
        tmp_path / "p.csv",
        ExportOptions("csv"),
        lambda done, total: calls.append((done, total)),
    )
    assert calls and calls[-1] == (5, 5)
