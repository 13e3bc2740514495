"""Reading a WeChat Pay bill or an Alipay statement, as each app exports it for reconciliation.

WeChat (我 → 服务 → 钱包 → 账单 → 下载账单 → 用于个人对账) mails a CSV (UTF-8 with a BOM; GBK once
Excel or WPS saved it again) or, in newer versions, an XLSX: summary lines (微信支付账单明细,
微信昵称, 起始时间, 导出类型, 共 N 笔记录 …), the line `------微信支付账单明细列表------`, then
the columns 交易时间, 交易类型, 交易对方, 商品, 收/支, 金额(元), 支付方式, 当前状态, 交易单号,
商户单号, 备注 (some exports add 订单号), with amounts like `¥199.00` and ids ending in a tab.
Alipay (账单 → 开具交易流水证明 → 用于个人对账) sends a CSV, usually GBK, with its own header
lines, the columns 交易时间, 交易分类, 交易对方, 对方账号, 商品说明, 收/支, 金额, 收/付款方式,
交易状态, 交易订单号, 商家订单号, 备注 and sometimes footer lines; the older Alipay export
(交易号, 交易创建时间, 类型, 金额（元）…) reads too.

Columns are found by their names, so their order and extra columns do not matter. Each row says
whether it may be a neighbour's payment: an incoming transfer (转账), 群收款, a red packet
(微信红包) or a receipt by QR code; outgoing rows, refunded or returned ones, and anything else
carry the reason they are skipped. A file that is not such a bill, is cut short, is empty or is
not text at all is refused with a `BillError` saying what to do. Times are China time (UTC+8),
as both apps write them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from tuan.domain.shared.errors import DomainError, Message, Reason
from tuan.domain.shared.file_errors import os_problem
from tuan.domain.shared.money import MoneyError, parse_money
from tuan.domain.shared.states import PaymentMethod
from tuan.domain.shared.text_files import TextFileError, decode_text
from tuan.i18n import N_, _

#: Both apps write Beijing time.
CHINA = timezone(timedelta(hours=8), "CST")
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
# i18n-keep: the bill's own column names and words, read from the file
COLUMNS = {
    "time": ("交易时间", "交易创建时间", "付款时间"),
    "kind": ("交易类型", "交易分类", "类型"),
    "payer": ("交易对方",),
    "goods": ("商品", "商品说明", "商品名称"),
    "direction": ("收/支",),
    "amount": ("金额(元)", "金额（元）", "金额"),
    "status": ("当前状态", "交易状态"),
    "trade_no": ("交易单号", "交易订单号", "交易号"),
    "note": ("备注",),
}
REQUIRED = ("time", "payer", "direction", "amount", "trade_no")
INCOME, EXPENSE = "收入", "支出"  # i18n-keep: the bill's 收/支 column
#: What a neighbour's payment is called in the 交易类型 (WeChat) or 交易分类 (Alipay) column.
PAYMENT_KINDS = ("转账", "红包", "收款", "收钱")  # i18n-keep: the bill's words
ALIPAY_INCOME_KINDS = ("收入", "其他", "")  # i18n-keep: Alipay's category of money received
ALIPAY_TRANSFER = "即时到账"  # i18n-keep: the older Alipay export's word for a transfer
REFUND_WORDS = ("退款", "退还", "退回")  # i18n-keep: the bill's words
NOT_RECEIVED_WORDS = ("关闭", "失败", "过期", "待", "等待", "拒", "撤销")  # i18n-keep
#: Words that say the file is a WeChat or Alipay bill even when its table is missing.
BILL_MARKS = ("微信支付账单", "微信昵称", "支付宝", "交易记录明细", "电子客户回单")  # i18n-keep
_COUNT_RE = re.compile(r"共\s*(\d+)\s*笔记录")  # i18n-keep: the summary line
_ACCOUNT_RE = re.compile(r"(?:微信昵称|姓名|账号)\s*[:：]\s*\[?([^\]\s,]*)")  # i18n-keep
_PERIOD_RE = re.compile(
    r"起始(?:时间|日期)\s*[:：]\s*\[([^\]]+)\].*?终止(?:时间|日期)\s*[:：]\s*\[([^\]]+)\]"
)
_REFUND_AMOUNT_RE = re.compile(r"[¥￥]\s*([\d,]+(?:\.\d{1,2})?)")
EMPTY_CELLS = ("/", "-", "—")


class BillError(DomainError, ValueError):
    """A file that is not a WeChat Pay bill or an Alipay statement tuan can read.

    Codes: `bill.unreadable` (the system refused the file), `bill.empty`, `bill.binary` (an
    image, an archive, an old .xls), `bill.format` (another kind of file, a bank's CSV say),
    `bill.truncated` (cut short: its table is missing or a row is incomplete).
    """

    code = "bill.format"
    field = "file"


@dataclass(frozen=True)
class BillRow:
    """One transaction of the bill.

    Attributes:
        index: Its position among the bill's rows (0-based).
        line: Its line in the CSV (or row in the XLSX), 1-based, as the leader finds it.
        time: When it happened (aware, China time); None when unreadable.
        kind: 交易类型 (WeChat) or 交易分类 (Alipay): `转账`, `微信红包`, `群收款` …
        payer: 交易对方: the payer's nickname as the bill shows it.
        goods: 商品 / 商品说明.
        direction: 收/支: `收入`, `支出` or what the bill says (`/`, `不计收支`).
        amount_cents: The amount (less a partial refund), in cents.
        status: 当前状态 / 交易状态.
        trade_no: 交易单号 / 交易订单号 (no tab, no `/`).
        note: 备注.
        skip: Why this row is not a payment for an order (None when it may be one).
    """

    index: int
    line: int
    time: datetime | None
    kind: str
    payer: str
    goods: str
    direction: str
    amount_cents: int
    status: str
    trade_no: str
    note: str
    skip: Reason | None = None


@dataclass(frozen=True)
class Bill:
    """A bill as read: which app, whose, the period, its rows."""

    source: PaymentMethod
    name: str
    account: str
    period: tuple[str, str] | None
    rows: tuple[BillRow, ...]

    @property
    def payments(self) -> list[BillRow]:
        """The rows that may be a neighbour's payment."""
        return [row for row in self.rows if row.skip is None]


def read_bill(path: str | Path) -> Bill:
    """Read a bill file (CSV in UTF-8, UTF-8 with BOM or GBK, or XLSX).

    Raises:
        BillError: the file cannot be read, or is no bill tuan knows (see its `code`).
    """
    shown = str(path)
    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as error:
        raise BillError(
            N_("读不了文件 {file}：{reason}"),
            code="bill.unreadable",
            file=shown,
            reason=os_problem(error),
        ) from error
    return parse_bill(data, Path(shown).name)


def parse_bill(data: bytes, name: str = "-") -> Bill:
    """Read the bytes of a bill file (see `read_bill`)."""
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise BillError(
            N_("文件是空的：{file}。请重新导出微信或支付宝账单再导入"), code="bill.empty", file=name
        )
    if data.startswith(b"PK\x03\x04"):
        records = _xlsx_records(data, name)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise BillError(
            N_("{file} 是旧版 Excel（.xls）文件，请用 Excel 或 WPS 另存为 .xlsx 或 .csv 再导入"),
            code="bill.binary",
            file=name,
        )
    else:
        records = _csv_records(data, name)
    return _read_records(records, name)


def _csv_records(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    try:
        text = decode_text(data, name)
    except TextFileError as error:
        if error.code == "file.binary":
            raise BillError(
                N_("{file} 不是账单（像是图片、文档或压缩包）。{how}"),
                code="bill.binary",
                file=name,
                how=Message(HOW_TO_EXPORT),
            ) from error
        raise BillError(
            N_("认不出 {file} 的文字编码。{how}"),
            code="bill.binary",
            file=name,
            how=Message(HOW_TO_EXPORT),
        ) from error
    reader = csv.reader(io.StringIO(text))
    records = []
    try:
        line = 1
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise BillError(
            N_("{file} 第 {line} 行不完整，文件可能没下载完整。请重新导出账单再导入"),
            code="bill.truncated",
            file=name,
            line=reader.line_num,
        ) from error
    return records


def _xlsx_records(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        records = [
            (number, _trimmed([_cell_text(value) for value in values]))
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
        book.close()
    except (zipfile.BadZipFile, InvalidFileException, KeyError, IndexError, OSError) as error:
        raise BillError(
            N_("打不开 {file}：不是完整的 Excel 账单（可能没下载完整，或是别的压缩包）。{how}"),
            code="bill.truncated",
            file=name,
            how=Message(HOW_TO_EXPORT),
        ) from error
    return records


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV would have it (a number never passes through a float's
    rounding into money: its shortest text is read as written)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float | int | Decimal):
        return format(Decimal(str(value)), "f")
    return str(value)


def _trimmed(cells: list[str]) -> list[str]:
    while cells and not cells[-1]:
        cells.pop()
    return cells


HOW_TO_EXPORT = N_(
    "请导出微信账单（我 → 服务 → 钱包 → 账单 → 下载账单 → 用于个人对账）"
    "或支付宝账单（账单 → 开具交易流水证明 → 用于个人对账），解压后导入其中的 .csv 或 .xlsx"
)


def _clean(cell: str) -> str:
    value = cell.strip().strip("\t").strip()
    return "" if value in EMPTY_CELLS else value


def _header(cells: list[str]) -> dict[str, int] | None:
    """Column name → index when `cells` is the table's header row, else None."""
    names = [cell.strip() for cell in cells]
    found: dict[str, int] = {}
    for key, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
    if {"time", "direction", "amount"} <= set(found):
        return found
    return None


def _read_records(records: list[tuple[int, list[str]]], name: str) -> Bill:
    head: list[str] = []
    for position, (_line, cells) in enumerate(records):
        columns = _header(cells)
        if columns is not None:
            return _table(records, position, columns, head, name)
        head.append(",".join(cell.strip() for cell in cells if cell.strip()))
    text = "\n".join(head)
    if any(mark in text for mark in BILL_MARKS):
        raise BillError(
            N_("{file} 只有账单开头的说明，没有交易明细：文件可能没下载完整。请重新导出账单再导入"),
            code="bill.truncated",
            file=name,
        )
    raise BillError(
        N_("{file} 不是微信或支付宝的账单（找不到“交易时间、收/支、金额”这些列）。{how}"),
        code="bill.format",
        file=name,
        how=Message(HOW_TO_EXPORT),
    )


def _table(
    records: list[tuple[int, list[str]]],
    position: int,
    columns: dict[str, int],
    head: list[str],
    name: str,
) -> Bill:
    header = [cell.strip() for cell in records[position][1]]
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        raise BillError(
            N_("{file} 不是微信或支付宝的账单：缺少“{columns}”列。{how}"),
            code="bill.format",
            file=name,
            columns=_("、").join(missing),
            how=Message(HOW_TO_EXPORT),
        )
    source = (
        PaymentMethod.WECHAT
        if "当前状态" in header  # i18n-keep: WeChat's column
        or any("微信" in line for line in head)  # i18n-keep
        else PaymentMethod.ALIPAY
    )
    needed = max(columns[key] for key in (*REQUIRED, "kind", "status") if key in columns) + 1
    rows: list[BillRow] = []
    for line, values in records[position + 1 :]:
        filled = [cell for cell in values if cell.strip()]
        if not filled:
            continue
        first = values[0].strip()
        if first.startswith("-") or (len(filled) <= 1 and not _time(first)):
            break  # the footer: a separator line, `共 12 笔记录`, totals
        if len(values) < needed:
            raise BillError(
                N_(
                    "{file} 第 {line} 行不完整（只有 {n} 列），"
                    "文件可能没下载完整。请重新导出账单再导入"
                ),
                code="bill.truncated",
                file=name,
                line=line,
                n=len(values),
            )
        rows.append(_row(len(rows), line, values, columns, source))
    declared = _declared_count(head)
    if declared is not None and len(rows) < declared:
        raise BillError(
            N_(
                "{file} 说有 {declared} 笔交易，只读到 {n} 笔："
                "文件可能没下载完整。请重新导出账单再导入"
            ),
            code="bill.truncated",
            file=name,
            declared=declared,
            n=len(rows),
        )
    return Bill(source, name, _account(head), _period(head), tuple(_repeats(rows)))


def _declared_count(head: list[str]) -> int | None:
    for line in head:
        found = _COUNT_RE.search(line)
        if found:
            return int(found.group(1))
    return None


def _account(head: list[str]) -> str:
    for line in head:
        found = _ACCOUNT_RE.search(line)
        if found and found.group(1):
            return found.group(1)
    return ""


def _period(head: list[str]) -> tuple[str, str] | None:
    found = _PERIOD_RE.search(" ".join(head))
    return (found.group(1).strip(), found.group(2).strip()) if found else None


def _time(text: str) -> datetime | None:
    value = text.strip()
    for pattern in TIME_FORMATS:
        try:
            return datetime.strptime(value, pattern).replace(tzinfo=CHINA)
        except ValueError:
            continue
    return None


def _cell(values: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return _clean(values[index]) if index is not None and index < len(values) else ""


def _row(
    index: int, line: int, values: list[str], columns: dict[str, int], source: PaymentMethod
) -> BillRow:
    cell = {key: _cell(values, columns, key) for key in COLUMNS}
    time = _time(cell["time"])
    problem: Reason | None = None
    try:
        amount = parse_money(cell["amount"])
    except MoneyError as error:
        amount = 0
        problem = Reason(_("看不懂这一行的金额：{error}").format(error=error), "bill.amount")
    if time is None and problem is None:
        problem = Reason(
            _("看不懂这一行的交易时间：{text}").format(text=cell["time"] or "-"), "bill.time"
        )
    skip = problem or _not_income(cell)
    if skip is None:
        amount, skip = _less_refund(amount, cell["status"])
    skip = skip or _not_a_payment(cell, amount, source)
    return BillRow(
        index=index,
        line=line,
        time=time,
        kind=cell["kind"],
        payer=cell["payer"],
        goods=cell["goods"],
        direction=cell["direction"],
        amount_cents=amount,
        status=cell["status"],
        trade_no=cell["trade_no"],
        note=cell["note"],
        skip=skip,
    )


def _less_refund(amount: int, status: str) -> tuple[int, Reason | None]:
    """The amount kept after a refund: a partial one (`已退款(￥50.00)`) is taken off, a full one
    skips the row."""
    if not any(word in status for word in REFUND_WORDS):
        return amount, None
    found = _REFUND_AMOUNT_RE.search(status)
    if found:
        try:
            refunded = parse_money(found.group(1))
        except MoneyError:
            refunded = amount
        if 0 < refunded < amount:
            return amount - refunded, None
    reason = _("已退款或退回（{status}），不算收款").format(status=status)
    return amount, Reason(reason, "bill.refunded")


def _not_income(cell: dict[str, str]) -> Reason | None:
    """Money that went out, or moved between the leader's own accounts."""
    direction, kind = cell["direction"], cell["kind"]
    if direction == EXPENSE:
        return Reason(_("支出，不是收款"), "bill.outgoing")
    if direction != INCOME:
        return Reason(
            _("不计收支（{what}），不是收款").format(what=kind or direction or "-"), "bill.neutral"
        )
    return None


def _not_a_payment(cell: dict[str, str], amount: int, source: PaymentMethod) -> Reason | None:
    kind, status = cell["kind"], cell["status"]
    if any(word in kind for word in REFUND_WORDS):
        return Reason(_("是退款（{kind}），不是邻居的付款").format(kind=kind), "bill.refunded")
    if any(word in status for word in NOT_RECEIVED_WORDS):
        return Reason(_("没有收到钱（{status}）").format(status=status), "bill.not_received")
    known = any(word in kind for word in PAYMENT_KINDS) or (
        source == PaymentMethod.ALIPAY and (kind in ALIPAY_INCOME_KINDS or ALIPAY_TRANSFER in kind)
    )
    if not known:
        return Reason(
            _("不是转账、红包或收款（{kind}）").format(kind=kind or "-"), "bill.other_kind"
        )
    if amount <= 0:
        return Reason(_("金额为 0"), "bill.zero")
    if not cell["trade_no"]:
        return Reason(_("没有交易单号，无法防止重复导入"), "bill.no_trade_no")
    return None


def _repeats(rows: Iterable[BillRow]) -> list[BillRow]:
    """The second row with a 交易单号 seen before is skipped (a bill pasted together twice)."""
    seen: dict[str, int] = {}
    kept = []
    for row in rows:
        if row.skip is None and row.trade_no in seen:
            reason = Reason(
                _("和第 {line} 行是同一笔交易（交易单号相同）").format(line=seen[row.trade_no]),
                "bill.repeated",
            )
            row = BillRow(**{**row.__dict__, "skip": reason})
        elif row.skip is None:
            seen[row.trade_no] = row.line
        kept.append(row)
    return kept
