"""Importing a WeChat Pay bill or an Alipay statement: choose the file, preview, pick, confirm.

Stage one is the file: the leader types (or pastes) the path of the bill as WeChat or Alipay
exported it and presses Enter or ctrl+s. Stage two is the preview: every row of the bill with
what it pays — matched (已对上), ambiguous (待选: several orders fit), unmatched (未对上) or
skipped (跳过: outgoing, refunded, imported before) — and why. `m` picks the order of a row (the
likely ones first, or "record nothing"), `s` skips a row or takes it back; each decision re-plans
at once. ctrl+s then records everything in one transaction. Esc goes back to the file.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Input, Static

from tuan.domain.shared.states import BillRowStatus, PaymentMethod
from tuan.i18n import N_, _, ngettext
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.translated import TranslatedBindings
from tuan.tui.shared.typed_path import typed_path

FILE_HINT = N_(
    "导入微信或支付宝导出的账单，收到的转账、群收款和红包会按付款人、金额和时间对上未付的订单。\n"
    "微信：我 → 服务 → 钱包 → 账单 → 下载账单 → 用于个人对账；支付宝：账单 → 开具交易流水证明 → "
    "用于个人对账。解压后，在下面填 .csv 或 .xlsx 文件的路径，按回车预览。"
)
STATUS_LABELS = {
    BillRowStatus.MATCHED: N_("已对上"),
    BillRowStatus.AMBIGUOUS: N_("待选"),
    BillRowStatus.UNMATCHED: N_("未对上"),
    BillRowStatus.SKIPPED: N_("跳过"),
}
STATUS_STYLES = {
    BillRowStatus.MATCHED: "green",
    BillRowStatus.AMBIGUOUS: "yellow",
    BillRowStatus.UNMATCHED: "red",
    BillRowStatus.SKIPPED: "dim",
}
COLUMNS = (N_("行"), N_("时间"), N_("付款人"), N_("金额"), N_("结果"), N_("订单"), N_("说明"))


class PaymentImportScreen(TranslatedBindings, Screen[None]):
    """Choose a bill, preview what it pays, pick, record."""

    DEFAULT_CSS = """
    PaymentImportScreen #pay-heading { height: 1; padding: 0 1; text-style: bold; color: $accent; }
    PaymentImportScreen #pay-hint { padding: 0 1; color: $text-muted; }
    PaymentImportScreen ContentSwitcher { height: 1fr; }
    PaymentImportScreen ContentSwitcher > Vertical { height: 100%; }
    PaymentImportScreen #pay-summary { height: auto; padding: 0 1; }
    PaymentImportScreen #pay-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("ctrl+s", "go", N_("预览 / 确认记入"), id="pay_import.go", priority=True),
        Binding("m", "pick", N_("选择订单"), id="pay_import.pick"),
        Binding("s", "skip", N_("跳过/恢复这一笔"), id="pay_import.skip"),
        Binding("escape", "back", N_("返回"), id="pay_import.back"),
    ]

    AREA = N_("付款")
    HELP = N_("""导入微信或支付宝的账单，记下谁付了款。

1. 在微信（我 → 服务 → 钱包 → 账单 → 下载账单 → 用于个人对账）或支付宝（账单 → 开具交易流水证明
   → 用于个人对账）导出账单，解压后把 .csv 或 .xlsx 的路径填进来，按回车预览。
2. 预览里每一笔都列出来：已对上（付款人、金额、时间对得上）、待选（几单都有可能）、未对上、
   跳过（支出、退款、提现、已经导入过的）。一笔转账可以付同一户的几单，两笔转账也可以付一单。
3. `m` 给一笔选订单（也可以选“不记这一笔”），`s` 跳过一笔或恢复。
4. 再按 `ctrl+s` 确认，所有付款在一个事务里记入，付清的订单在自提清单里变成“已付”。

同一份账单导入两次不会重复记（按交易单号）。""")

    def help_text(self) -> str:
        """The help shown by `?`/F1."""
        return _(self.HELP)

    def __init__(self, path: str = "") -> None:
        super().__init__()
        self.path = path
        self.draft: Any = None
        self.plan: Any = None
        self.decisions: Any = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static(_("导入账单"), id="pay-heading")
        with ContentSwitcher(initial="file-stage"):
            with Vertical(id="file-stage"):
                yield Static(_(FILE_HINT), id="pay-hint")
                yield Input(
                    value=self.path,
                    placeholder=_("账单文件，例如 ~/Downloads/微信支付账单(20261101-20261126).csv"),
                    id="pay-file",
                )
            with Vertical(id="preview-stage"):
                yield Static("", id="pay-summary")
                yield DataTable(id="pay-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#pay-table", DataTable).add_columns(*(_(c) for c in COLUMNS))
        self.query_one("#pay-file", Input).focus()

    @property
    def previewing(self) -> bool:
        """Whether the preview (not the file) is showing."""
        return self.query_one(ContentSwitcher).current == "preview-stage"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not self.is_mounted:
            return True
        if action == "pick":
            row = self._row()
            return self.previewing and row is not None and self._pickable(row)
        if action == "skip":
            row = self._row()
            return self.previewing and row is not None and self._skippable(row)
        return True

    def _pickable(self, planned: Any) -> bool:
        return bool(planned.status != BillRowStatus.SKIPPED)

    def _skippable(self, planned: Any) -> bool:
        index = planned.row.index
        return bool(index in self.decisions.skipped or planned.status != BillRowStatus.SKIPPED)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pay-file":
            self.action_go()

    def action_go(self) -> None:
        """Preview the chosen file, or record the previewed payments."""
        if self.busy:
            return
        if not self.previewing:
            path = self.query_one("#pay-file", Input).value.strip()
            if not path:
                self.notify(_("先填账单文件的路径"), severity="warning")
                return
            self.busy = True
            self._read(path)
        elif self.plan is not None:
            self._confirm()

    @work(thread=True, exclusive=True, group="pay-read")
    def _read(self, path: str) -> None:
        from tuan.domain.payments.bill import BillError, read_bill
        from tuan.domain.payments.match import Decisions, build_draft, plan_payments

        try:
            bill = read_bill(typed_path(path))
        except BillError as error:
            self.app.call_from_thread(self._fail, str(error))
            return
        with tuan_app(self).db.session() as session:
            draft = build_draft(session, bill)
        decisions = Decisions()
        plan = plan_payments(draft, decisions)
        self.app.call_from_thread(self._loaded, draft, decisions, plan)

    def _fail(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="error", timeout=10)

    def _loaded(self, draft: Any, decisions: Any, plan: Any) -> None:
        self.draft, self.decisions = draft, decisions
        self._show(plan, first=True)

    def _replan(self) -> None:
        from tuan.domain.payments.match import plan_payments

        self._show(plan_payments(self.draft, self.decisions))

    def _show(self, plan: Any, *, first: bool = False) -> None:
        self.plan, self.busy = plan, False
        self.query_one(ContentSwitcher).current = "preview-stage"
        table = self.query_one("#pay-table", DataTable)
        keep = table.cursor_row
        fill_table(table, plan, self.draft)
        table.move_cursor(row=0 if first else keep)
        table.focus()
        self.query_one("#pay-summary", Static).update(summary_text(plan, self.draft))
        self.refresh_bindings()

    def _row(self) -> Any:
        table = self.query_one("#pay-table", DataTable)
        if self.plan is None or not table.row_count:
            return None
        rows = self.plan.rows
        return rows[table.cursor_row] if 0 <= table.cursor_row < len(rows) else None

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_pick(self) -> None:
        """Choose the orders the highlighted row pays (or record nothing for it)."""
        from tuan.domain.payments.match import choices
        from tuan.tui.payments.pick_order import PickOrderScreen

        planned = self._row()
        if planned is None or not self._pickable(planned):
            return
        index = planned.row.index

        def picked(choice: tuple[int, ...] | None) -> None:
            if choice is not None:
                self.decisions.picks[index] = choice
                self.decisions.skipped.discard(index)
                self._replan()

        options = choices(self.draft, planned)
        self.app.push_screen(PickOrderScreen(row_text(planned), options, self.draft), picked)

    def action_skip(self) -> None:
        """Leave the highlighted row out, or take it back in."""
        planned = self._row()
        if planned is None or not self._skippable(planned):
            return
        self.decisions.skipped ^= {planned.row.index}
        self._replan()

    def _confirm(self) -> None:
        from tuan.domain.shared.money import format_money
        from tuan.tui.shared.confirm import ConfirmScreen

        counts = self.plan.summary()
        if not counts["recorded"]:
            self.notify(_("没有要记入的付款"), severity="warning")
            return
        question = ngettext(
            "记入 {n} 笔付款，共 {amount}。确定吗？",
            "记入 {n} 笔付款，共 {amount}。确定吗？",
            counts["recorded"],
        ).format(n=counts["recorded"], amount=format_money(counts["recorded_cents"]))

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self._apply()

        self.app.push_screen(ConfirmScreen(question), answered)

    @work(thread=True, exclusive=True, group="pay-apply")
    def _apply(self) -> None:
        from tuan.domain.payments.apply import apply_plan
        from tuan.domain.shared.money import format_money

        with tuan_app(self).db.transaction() as session:
            result = apply_plan(session, self.draft, self.plan)
        message = ngettext(
            "已记入 {n} 笔付款，共 {amount}，{paid} 单已付清",
            "已记入 {n} 笔付款，共 {amount}，{paid} 单已付清",
            result.recorded,
        ).format(
            n=result.recorded,
            amount=format_money(result.recorded_cents),
            paid=len(result.orders_paid),
        )
        self.app.call_from_thread(self._done, message)

    def _done(self, message: str) -> None:
        self.busy = False
        self.notify(message, title=_("导入账单"))
        self.dismiss(None)

    def action_back(self) -> None:
        """From the preview back to the file; from the file, close."""
        if self.previewing:
            self.query_one(ContentSwitcher).current = "file-stage"
            self.query_one("#pay-file", Input).focus()
            self.refresh_bindings()
        else:
            self.dismiss(None)


def row_text(planned: Any) -> str:
    """`第 18 行  11-25 20:15  🌸王阿姨  转账  ¥268`."""
    from tuan.domain.shared.money import format_money

    row = planned.row
    when = row.time.strftime("%m-%d %H:%M") if row.time else "-"
    words = [_("第 {n} 行").format(n=row.line), when, row.payer, row.kind,
             format_money(row.amount_cents)]  # fmt: skip
    return "  ".join(w for w in words if w)


def orders_text(planned: Any, draft: Any) -> str:
    """What a row pays: `5号 王阿姨`, or how many orders could be it."""
    if planned.allocations:
        parts = []
        for allocation in planned.allocations:
            order = draft.orders.get(allocation.order_id)
            parts.append(_("{number}号 {name}").format(number=order.number, name=order.nickname)
                         if order else str(allocation.order_id))  # fmt: skip
        return _("、").join(parts)
    if planned.options:
        return ngettext("{n} 单可能", "{n} 单可能", len(planned.options)).format(
            n=len(planned.options)
        )
    return "-"


def fill_table(table: DataTable, plan: Any, draft: Any) -> None:
    """Every bill row in the table (key: its index in the bill)."""
    from tuan.domain.shared.member_match import plain_nickname
    from tuan.domain.shared.money import format_money

    table.clear()
    for planned in plan.rows:
        row = planned.row
        dim = "" if planned.status != BillRowStatus.SKIPPED else "dim"
        table.add_row(
            Text(str(row.line), style=dim),
            Text(row.time.strftime("%m-%d %H:%M") if row.time else "-", style=dim),
            Text(plain_nickname(row.payer) or "-", style=dim),
            Text(format_money(row.amount_cents), style=dim),
            Text(_(STATUS_LABELS[planned.status]), style=STATUS_STYLES[planned.status]),
            Text(orders_text(planned, draft), style=dim),
            Text(_("；").join(planned.reasons), style="yellow" if planned.reasons else ""),
            key=str(row.index),
        )


def summary_text(plan: Any, draft: Any) -> Text:
    """Which bill, what confirming records, and what still needs the leader."""
    from tuan.domain.shared.money import format_money

    bill = draft.bill
    source = _("微信账单") if bill.source == PaymentMethod.WECHAT else _("支付宝账单")
    title = f"{source} {bill.name}"
    if bill.account:
        title = _("{text}（{note}）").format(text=title, note=bill.account)
    text = Text(title + "\n", style="bold")
    counts = plan.summary()
    text.append(
        _("已对上 {m}，待选 {a}，未对上 {u}，跳过 {k}").format(
            m=counts["matched"], a=counts["ambiguous"], u=counts["unmatched"], k=counts["skipped"]
        )
    )
    text.append(
        "   "
        + ngettext(
            "确认后记入 {n} 笔，共 {amount}",
            "确认后记入 {n} 笔，共 {amount}",
            counts["recorded"],
        ).format(n=counts["recorded"], amount=format_money(counts["recorded_cents"])),
        style="green" if counts["recorded"] else "",
    )
    if counts["ambiguous"]:
        text.append(
            "\n"
            + ngettext(
                "{n} 笔有几单都可能：按 m 选是哪一单（不选就不记）",
                "{n} 笔有几单都可能：按 m 选是哪一单（不选就不记）",
                counts["ambiguous"],
            ).format(n=counts["ambiguous"]),
            style="yellow",
        )
    return text
