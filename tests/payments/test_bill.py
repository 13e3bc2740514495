"""Reading WeChat Pay bills and Alipay statements: every shape, every row rule, every refusal."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tests.payments.fixtures import ALIPAY, WECHAT, WECHAT_ORDERNO, wechat_xlsx
from tuan.domain.payments.bill import BillError, parse_bill, read_bill
from tuan.domain.shared.errors import code_of
from tuan.domain.shared.states import PaymentMethod

WECHAT_HEADER = (
    "交易时间,交易类型,交易对方,商品,收/支,金额(元),支付方式,当前状态,交易单号,商户单号,备注"
)
WECHAT_HEAD = (
    "微信支付账单明细,,,,,,,,\n微信昵称：[小林],,,,,,,,\n"
    "----------------------微信支付账单明细列表--------------------,,,,,,,,\n"
)


def _wechat(*rows: str) -> bytes:
    """A small WeChat bill with these data rows."""
    return ("\ufeff" + WECHAT_HEAD + WECHAT_HEADER + "\n" + "\n".join(rows) + "\n").encode()


def _row(kind: str, direction: str, amount: str, status: str, trade_no: str = "T1") -> str:
    return f"2026-11-25 20:15:07,{kind},王阿姨,/,{direction},{amount},/,{status},{trade_no}\t,/,/"


def _skip(data: bytes) -> list[str | None]:
    return [code_of(row.skip) if row.skip else None for row in parse_bill(data).rows]


# --- the shapes a leader has --------------------------------------------------------------------


def test_wechat_csv_with_bom_reads_every_row_with_its_line_time_and_cents() -> None:
    bill = read_bill(WECHAT)
    assert bill.source == PaymentMethod.WECHAT
    assert (bill.account, bill.period) == (
        "绿源生活-小林",
        ("2026-11-01 00:00:00", "2026-11-26 09:30:00"),
    )
    assert len(bill.rows) == 10
    first = bill.rows[0]
    assert (first.line, first.kind, first.payer, first.direction) == (
        18,
        "转账",
        "🌸王阿姨",
        "收入",
    )
    assert first.time == datetime.fromisoformat("2026-11-25T20:15:07+08:00")
    assert first.amount_cents == 26800, "¥268.00 is 26800 cents, never a float"
    assert first.trade_no == "1000050001202611250123456789001", "the trailing tab is gone"
    assert first.goods == "转账备注:3-1202 套装+亚麻" and first.note == ""
    assert [r.amount_cents for r in bill.payments] == [26800, 7800, 10000, 13800, 19900, 8900, 5500]


def test_an_export_with_an_order_number_column_reads_the_same() -> None:
    plain, extra = read_bill(WECHAT), read_bill(WECHAT_ORDERNO)
    assert [(r.line, r.payer, r.amount_cents, r.trade_no, r.skip) for r in extra.rows] == [
        (r.line, r.payer, r.amount_cents, r.trade_no, r.skip) for r in plain.rows
    ]


def test_the_xlsx_export_reads_the_same(tmp_path: Path) -> None:
    plain = read_bill(WECHAT)
    book = read_bill(wechat_xlsx(tmp_path / "微信支付账单(20261101-20261126).xlsx"))
    assert book.source == PaymentMethod.WECHAT and book.account == "绿源生活-小林"
    assert [
        (r.time, r.payer, r.amount_cents, r.trade_no, code_of(r.skip or "")) for r in book.rows
    ] == [(r.time, r.payer, r.amount_cents, r.trade_no, code_of(r.skip or "")) for r in plain.rows]


def test_an_xlsx_with_numbers_for_amounts_keeps_exact_cents(tmp_path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["微信支付账单明细"])
    sheet.append(WECHAT_HEADER.split(","))
    sheet.append([datetime(2026, 11, 25, 20, 15), "转账", "王阿姨", "/", "收入", 19.9, "/",
                  "已收钱", "T9", "/", "/"])  # fmt: skip
    book.save(tmp_path / "bill.xlsx")
    (row,) = read_bill(tmp_path / "bill.xlsx").rows
    assert row.amount_cents == 1990 and row.skip is None


def test_a_gbk_alipay_statement_with_its_header_lines() -> None:
    bill = read_bill(ALIPAY)
    assert bill.source == PaymentMethod.ALIPAY and bill.account == "林小红"
    assert [(r.line, r.payer, r.amount_cents) for r in bill.rows][:2] == [
        (19, "陈*", 19900),
        (20, "*秀兰", 26800),
    ]
    assert [code_of(r.skip) if r.skip else None for r in bill.rows] == [
        None, None, "bill.refunded", "bill.outgoing", "bill.neutral"
    ]  # fmt: skip
    assert bill.rows[1].note == "3-1202"


def test_the_older_alipay_export_with_footer_lines() -> None:
    text = (
        "支付宝交易记录明细查询\n账号:[lin***@163.com]\n"
        "起始日期:[2026-11-01 00:00:00]    终止日期:[2026-11-26 00:00:00]\n"
        "---------------------------------交易记录明细列表------------------------------------\n"
        "交易号,商家订单号,交易创建时间,付款时间,最近修改时间,交易来源地,类型,交易对方,商品名称,"
        "金额（元）,收/支,交易状态,服务费（元）,成功退款（元）,备注,资金状态,\n"
        "20261124200040011100560012345601\t,\t,2026-11-24 20:00:00\t,2026-11-24 20:00:01\t,"
        "2026-11-24 20:00:01\t,其他（包括阿里巴巴和外部商家）,即时到账交易,王秀兰,转账,268.00,"
        "收入,交易成功,0.00,0.00,,已收入,\n"
        "------------------------------------------------------------------------------------\n"
        "共1笔记录\n已收入:1笔,268.00元\n待收入:0笔,0.00元\n"
        "导出时间:[2026-11-26 09:00:00]    用户:林小红\n"
    )
    bill = parse_bill(text.encode("gbk"))
    (row,) = bill.rows
    assert bill.source == PaymentMethod.ALIPAY
    assert (row.payer, row.amount_cents, row.trade_no) == (
        "王秀兰",
        26800,
        "20261124200040011100560012345601",
    )
    assert row.time == datetime.fromisoformat("2026-11-24T20:00:00+08:00")
    assert row.skip is None, "即时到账交易 is money received"


def test_excel_saved_times_and_a_gbk_wechat_bill() -> None:
    data = (
        _wechat("2026/11/25 20:15,转账,王阿姨,/,收入,￥199.00,/,已收钱,T1\t,/,/")
        .decode("utf-8-sig")
        .encode("gbk")
    )
    (row,) = parse_bill(data).rows
    assert row.time == datetime.fromisoformat("2026-11-25T20:15:00+08:00")
    assert row.amount_cents == 19900


# --- which rows are payments --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (_row("转账", "收入", "¥199.00", "已收钱"), None),
        (_row("微信红包", "收入", "¥199.00", "已存入零钱"), None),
        (_row("微信红包（单发）", "收入", "¥199.00", "已存入零钱"), None),
        (_row("群收款", "收入", "¥199.00", "已收钱"), None),
        (_row("二维码收款", "收入", "¥199.00", "已收钱"), None),
        (_row("扫二维码付款", "支出", "¥20.00", "已全额退款"), "bill.outgoing"),
        (_row("商户消费", "支出", "¥35.50", "支付成功"), "bill.outgoing"),
        (_row("转账", "收入", "¥199.00", "已退还"), "bill.refunded"),
        (_row("群收款", "收入", "¥199.00", "已全额退款"), "bill.refunded"),
        (_row("转账-退款", "收入", "¥20.00", "已到账"), "bill.refunded"),
        (_row("转账", "收入", "¥199.00", "已过期"), "bill.not_received"),
        (_row("转账", "收入", "¥199.00", "对方待收款"), "bill.not_received"),
        (_row("零钱提现", "/", "¥500.00", "提现已到账"), "bill.neutral"),
        (_row("理财通", "收入", "¥1.00", "已到账"), "bill.other_kind"),
        (_row("转账", "收入", "¥0.00", "已收钱"), "bill.zero"),
        (_row("转账", "收入", "¥abc", "已收钱"), "bill.amount"),
        (_row("转账", "收入", "¥199.00", "已收钱", trade_no="/"), "bill.no_trade_no"),
    ],
)
def test_each_row_is_a_payment_or_says_why_not(row: str, code: str | None) -> None:
    assert _skip(_wechat(row)) == [code]


def test_a_part_refund_leaves_what_was_kept() -> None:
    (row,) = parse_bill(_wechat(_row("群收款", "收入", "¥199.00", "已退款(￥50.00)"))).rows
    assert row.skip is None and row.amount_cents == 14900


def test_the_same_transaction_twice_in_one_file_counts_once() -> None:
    data = _wechat(
        _row("转账", "收入", "¥199.00", "已收钱"), _row("转账", "收入", "¥199.00", "已收钱")
    )
    rows = parse_bill(data).rows
    assert rows[0].skip is None
    assert code_of(rows[1].skip or "") == "bill.repeated" and "第 5 行" in (rows[1].skip or "")


# --- refusals: another format, cut short, empty, not text --------------------------------------


def _refusal(data: bytes) -> BillError:
    with pytest.raises(BillError) as caught:
        parse_bill(data, "bill.csv")
    return caught.value


def test_a_bank_statement_is_not_a_bill() -> None:
    bank = (
        "交易日期,交易时间,收入金额,支出金额,账户余额,交易类型,交易备注\n"
        "20261125,201507,199.00,,1234.00,转账,王阿姨\n"
    )
    error = _refusal(bank.encode("gbk"))
    assert error.code == "bill.format" and "不是微信或支付宝的账单" in str(error)
    assert "用于个人对账" in str(error), "says how to export the right file"


def test_a_bill_without_the_payer_or_trade_number_columns_is_refused() -> None:
    data = "交易时间,收/支,金额\n2026-11-25 20:15:07,收入,199\n".encode()
    error = _refusal(data)
    assert error.code == "bill.format" and "交易对方" in str(error) and "交易单号" in str(error)


def test_a_bill_cut_in_a_row_is_refused_with_its_line() -> None:
    data = WECHAT.read_bytes()
    cut = data[: data.index(b"2026-11-23 09:00:00") + 40]
    error = _refusal(cut)
    assert error.code == "bill.truncated" and "第 23 行不完整" in str(error)


def test_a_bill_cut_before_its_table_is_refused() -> None:
    data = WECHAT.read_bytes()
    error = _refusal(data[: data.index(b"----")])
    assert error.code == "bill.truncated" and "没有交易明细" in str(error)


def test_a_bill_with_fewer_rows_than_its_summary_says_is_refused() -> None:
    data = WECHAT.read_bytes()
    cut = data[: data.index(b"2026-11-22 10:00:00")]  # after a whole row: 7 of 10 rows
    error = _refusal(cut)
    assert error.code == "bill.truncated" and "说有 10 笔交易，只读到 7 笔" in str(error)


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", "\ufeff".encode()])
def test_an_empty_file_is_refused(data: bytes) -> None:
    error = _refusal(data)
    assert error.code == "bill.empty" and "文件是空的" in str(error)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,  # a screenshot of the bill
        bytes(range(256)) * 8,
    ],
)
def test_a_binary_file_is_refused(data: bytes) -> None:
    error = _refusal(data)
    assert error.code == "bill.binary" and "不是账单" in str(error)


def test_an_old_xls_and_a_broken_xlsx_are_refused() -> None:
    old = _refusal(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert old.code == "bill.binary" and ".xlsx" in str(old)
    broken = _refusal(b"PK\x03\x04" + bytes(100))
    assert broken.code == "bill.truncated" and "Excel" in str(broken)


def test_a_missing_file_says_so() -> None:
    with pytest.raises(BillError) as caught:
        read_bill("/no/such/folder/账单.csv")
    assert caught.value.code == "bill.unreadable" and "不存在" in str(caught.value)


def test_messages_follow_the_language_when_shown() -> None:
    from tuan.i18n import set_language

    error = _refusal(b"")
    set_language("en")
    try:
        assert "empty" in str(error).lower()
    finally:
        set_language("zh")
