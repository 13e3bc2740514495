"""Refunds (退款/售后) of one order, from the chain's entries and the pickup checklist.

`RefundFormScreen` (`f`): which line, how many pieces, how much money (prefilled: the pieces at
the captured unit price, until the leader types an amount), the reason and a note; a refusal is
shown beside its field and nothing is saved. `RefundListScreen` (`F`): the order's refunds, one
of which `d` takes back after a yes. Both close with a message when something changed, so the
screen behind reads again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static

from tuan.i18n import N_, _
from tuan.tui.shared.form import FormScreen
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.translated import TranslatedBindings

if TYPE_CHECKING:
    from tuan.domain.shared.refunds import RefundableLine, RefundRow


class RefundFormScreen(FormScreen[str | None]):
    """A refund of one line of an order; closes with what was done, or None."""

    TITLE_TEXT = N_("退款/售后")
    HINT = N_("只填件数时按下单单价算金额；回车到下一项，ctrl+s 保存，Esc 取消")
    PROBLEM_TITLE = N_("退款不对")
    AUTO_FOCUS = "#f-qty"

    def __init__(self, order_id: int, who: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.who = who
        self.lines: list[RefundableLine] = []
        self.amount_typed = False  # the leader typed an amount: stop following the pieces
        self._prefilled = ""  # the amount last filled in (its change message comes later)

    def compose_fields(self) -> ComposeResult:
        from tuan.domain.shared.refunds import REASON_LABELS
        from tuan.domain.shared.states import RefundReason

        yield Static(self.who, id="refund-who")
        yield from self.field("line", _("商品"), Select([], prompt=_("（读取中）"), compact=True))
        yield from self.field("qty", _("退几件"), Input("", placeholder="1", compact=True))
        yield from self.field("amount", _("退多少钱"), Input("", placeholder="0", compact=True))
        reasons = [(_(label), reason.value) for reason, label in REASON_LABELS.items()]
        yield from self.field(
            "reason",
            _("原因"),
            Select(reasons, value=RefundReason.BAD_FRUIT.value, allow_blank=False, compact=True),
        )
        yield from self.field("note", _("备注"), Input("", compact=True))
        yield self.problem_line("")

    def on_mount(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="refund-load", exit_on_error=False)
    def _load(self) -> None:
        from tuan.domain.shared.refunds import RefundError, refundable_lines

        try:
            with tuan_app(self).db.session() as session:
                lines = refundable_lines(session, self.order_id)
        except RefundError as error:
            self.app.call_from_thread(self.show_problems, {"": str(error)})
            return
        self.app.call_from_thread(self._show_lines, lines)

    def _show_lines(self, lines: list[RefundableLine]) -> None:
        self.lines = lines
        select: Select[str] = self.query_one("#f-line", Select)
        select.set_options([(line.label, str(line.line_id)) for line in lines])
        open_lines = [ln for ln in lines if ln.left_qty or ln.left_cents] or lines
        first = open_lines[0] if open_lines else None
        if first is not None:
            select.value = str(first.line_id)
            self.query_one("#f-qty", Input).value = "1" if first.left_qty else ""
        self._follow()

    def line(self) -> RefundableLine | None:
        """The line chosen."""
        chosen = self.value("line")
        return next((ln for ln in self.lines if str(ln.line_id) == chosen), None)

    def _follow(self) -> None:
        """Prefill the amount from the pieces, until the leader types one."""
        from tuan.domain.shared.money import format_plain

        line = self.line()
        if line is None or self.amount_typed:
            return
        text = self.query_one("#f-qty", Input).value.strip()
        pieces = int(text) if text.isdigit() else 0
        self._prefilled = format_plain(line.default_cents(min(pieces, line.left_qty)))
        self.query_one("#f-amount", Input).value = self._prefilled

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "f-amount":
            self.amount_typed = event.value != self._prefilled
        elif event.input.id == "f-qty":
            self._follow()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "f-line":
            self._follow()

    def save(self) -> None:
        line = self.line()
        if line is None:
            self.show_problems({"line": _("请选要退的商品")})
            return
        self.save_in_thread(
            self._write,
            line.line_id,
            str(self.value("qty") or ""),
            str(self.value("amount") or ""),
            str(self.value("reason") or ""),
            str(self.value("note") or ""),
        )

    def _write(self, line_id: int, qty: str, amount: str, reason: str, note: str) -> str:
        from tuan.domain.shared.money import format_money
        from tuan.domain.shared.refunds import add_refund, parse_refund_amount, parse_refund_qty

        pieces, cents = parse_refund_qty(qty), parse_refund_amount(amount)
        with tuan_app(self).db.transaction() as session:
            refund = add_refund(
                session, self.order_id, line_id=line_id, qty=pieces, amount_cents=cents,
                reason=reason, note=note,
            )  # fmt: skip
            done = _("已退款：{who} 退 {n} 件 {amount}").format(
                who=self.who, n=refund.qty, amount=format_money(refund.amount_cents)
            )
        return done


class RefundListScreen(TranslatedBindings, ModalScreen[str | None]):
    """An order's refunds; `d` takes the highlighted one back. Closes with what changed."""

    DEFAULT_CSS = """
    RefundListScreen { align: center middle; }
    RefundListScreen > Vertical {
        width: 84; height: auto; max-height: 90%; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    RefundListScreen #refunds-title { text-style: bold; color: $accent; }
    RefundListScreen DataTable { height: auto; max-height: 16; }
    RefundListScreen #refunds-keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[Any]] = [
        Binding("d,delete", "delete_refund", N_("删除退款"), id="refunds.delete"),
        Binding("escape", "close", N_("关闭"), id="refunds.close"),
    ]
    AUTO_FOCUS = "DataTable"

    def __init__(self, order_id: int, who: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.who = who
        self.rows: list[RefundRow] = []
        self.changed: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("退款记录：{who}").format(who=self.who), id="refunds-title")
            yield DataTable(id="refunds-table", cursor_type="row")
            yield Static(_("d 删除选中的退款（件数重新要发），Esc 关闭"), id="refunds-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            _("日期"), _("商品"), _("件数"), _("金额"), _("原因"), _("备注")
        )
        self._load()

    @work(thread=True, exclusive=True, group="refund-list")
    def _load(self) -> None:
        from tuan.domain.shared.refunds import list_refunds

        with tuan_app(self).db.session() as session:
            rows = list_refunds(session, order_id=self.order_id)
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: list[RefundRow]) -> None:
        from tuan.domain.shared.money import format_money

        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                r.refunded_on.isoformat(), r.item, str(r.qty), format_money(r.amount_cents),
                r.reason_text, r.note, key=str(r.id),
            )  # fmt: skip
        if not rows:
            table.add_row(_("（没有退款）"), "", "", "", "", "")

    def action_delete_refund(self) -> None:
        """Take back the highlighted refund after a yes."""
        from tuan.domain.shared.money import format_money
        from tuan.tui.shared.confirm import ConfirmScreen

        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return
        row = self.rows[table.cursor_row]
        question = _("删除这笔退款（{item} {n} 件 {amount}）？退掉的件数会重新要发。").format(
            item=row.item, n=row.qty, amount=format_money(row.amount_cents)
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._delete(row.id)

        self.app.push_screen(ConfirmScreen(question, _("删除退款")), answered)

    @work(thread=True, exclusive=True, group="refund-write")
    def _delete(self, refund_id: int) -> None:
        from tuan.domain.shared.refunds import delete_refund

        with tuan_app(self).db.transaction() as session:
            delete_refund(session, refund_id)
        message = _("已删除退款 {id}").format(id=refund_id)
        self.changed.append(message)
        self.app.call_from_thread(self.notify, message)
        self.app.call_from_thread(self._load)

    def action_close(self) -> None:
        """Close; say what changed so the screen behind reads again."""
        self.dismiss(self.changed[-1] if self.changed else None)
