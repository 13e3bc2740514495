"""What the pickup screen's keys do: marks, undo, filters, sorting view, export, reminders.

Every write goes through the screen's `SerialWriter` (one transaction per key, off the main
thread, in key order); the changed orders are read back and their rows updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from textual.widgets import ContentSwitcher, DataTable, Input

from tuan.domain.shared.states import PickupState
from tuan.i18n import _, ngettext
from tuan.tui.pickup.summary import PickupSummary
from tuan.tui.pickup.writer import SerialWriter
from tuan.tui.shared.base import AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from textual.widget import AwaitMount

    from tuan.domain.pickup.checklist import PickupChain

ROW_ACTIONS = {
    "toggle_collect", "collect_lines", "collect_household", "toggle_paid", "refund", "refunds",
}  # fmt: skip
CHAIN_ACTIONS = {"export", "toggle_sorting", "only_uncollected", "only_unpaid"}
PAY_REMINDERS = {"remind_pay", "remind_pay_all"}


@dataclass(frozen=True)
class PickupReading:
    """The chains whose goods are being collected (open or closed), for the list on the left."""

    chains: list[PickupChain]


class PickupActions(AreaScreen[PickupReading]):
    """The pickup screen's state and actions (the layout lives in `PickupScreen`)."""

    def init_state(self) -> None:
        """Nothing chosen yet (domain types come later, from workers: no ORM import here)."""
        self.chains: dict[int, PickupChain] = {}
        self.chain_id: int | None = None
        self.products: list[Any] = []
        self.rows: list[Any] = []
        self.by_id: dict[int, Any] = {}
        self.shown: list[Any] = []
        self.loaded = 0
        self.filters: Any = None  # tuan.domain.pickup.search.Filters once rows are loaded
        self.undo_stacks: dict[int, Any] = {}
        self.columns: list[Any] = []
        self.cell_cache: dict[int, tuple[Any, ...]] = {}  # order id → table cells
        self.writer = SerialWriter(self, self.write_failed)

    # Hooks the layout provides.
    def refill(self, keep: int | None = None) -> None:
        """Filter and show the rows again."""

    def refresh_summary(self) -> None:
        """Redraw the header."""

    def cells(self, row: Any) -> tuple[Any, ...]:
        """The table cells of one order."""
        return ()

    def build_later(self) -> AwaitMount | None:
        """Build what the first frame did without (the sorting list); None when built."""
        return None

    def current_row(self) -> Any | None:
        """The order under the checklist's cursor."""
        table = self.query_one("#checklist", DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "search":  # in the box already, `/` is just typed
            return not isinstance(self.focused, Input)
        if action in ROW_ACTIONS:  # the checklist must be on screen to act on its rows
            on_screen = self.query_one(ContentSwitcher).current == "checklist"
            return on_screen and self.chain_id is not None and bool(self.shown)
        if action in CHAIN_ACTIONS:
            return self.chain_id is not None
        if action in PAY_REMINDERS:
            on_screen = self.query_one(ContentSwitcher).current == "checklist"
            if action == "remind_pay":
                row = self.current_row() if on_screen and self.shown else None
                return row is not None and not row.paid
            return self.chain_id is not None and any(not row.paid for row in self.rows)
        if action == "undo":  # no stack yet: nothing to undo (and no ORM import on this thread)
            stack = self.undo_stacks.get(self.chain_id or 0)
            return bool(stack) or self.writer.busy
        if action == "remind":
            from tuan import clock

            chain = self.chains.get(self.chain_id or 0)
            return chain is not None and chain.window_ended(clock.now())
        return True

    def undo_stack(self) -> Any:
        """The current chain's undo stack."""
        from tuan.domain.pickup.collect import UndoStack

        return self.undo_stacks.setdefault(self.chain_id or 0, UndoStack())

    def set_filters(self, **changes: Any) -> None:
        """Change the search or a toggle and show the matching rows at once."""
        from tuan.domain.pickup.search import Filters

        self.filters = replace(self.filters or Filters(), **changes)
        row = self.current_row()
        self.refill(row.order_id if row else None)

    def action_search(self) -> None:
        """Focus the search box (its text is selected, so typing replaces it)."""
        self.set_focus(self.query_one("#pickup-search", Input))  # now: the next keys are typed

    def action_clear_search(self) -> None:
        """Empty the search box and go back to the checklist."""
        self.query_one("#pickup-search", Input).value = ""
        self.query_one("#checklist", DataTable).focus()

    def action_only_uncollected(self) -> None:
        """Show only orders not (fully) collected, or everything again."""
        self.set_filters(uncollected_only=not self.filters.uncollected_only)

    def action_only_unpaid(self) -> None:
        """Show only unpaid orders, or everything again."""
        self.set_filters(unpaid_only=not self.filters.unpaid_only)

    async def action_toggle_sorting(self) -> None:
        """Switch between the checklist and the sorting list."""
        mounting = self.build_later()  # `s` pressed before the list was built: now
        if mounting is not None:
            await mounting
        switcher = self.query_one(ContentSwitcher)
        switcher.current = "sorting" if switcher.current == "checklist" else "checklist"
        self.query_one("#pickup-search").display = switcher.current == "checklist"
        self.refresh_summary()
        self.query_one(f"#{switcher.current}").focus()

    def action_toggle_collect(self) -> None:
        """Mark the order collected in full, or (if it was) not collected."""
        row = self.current_row()
        if row is None:
            return
        collected = row.state != PickupState.ALL
        verb = _("领取") if collected else _("取消领取")
        label = _("第{seq}号 {name} {verb}").format(seq=row.number, name=row.nickname, verb=verb)
        ids = [row.order_id]
        self.mark(lambda s: _collect(s, ids, collected, label))

    def action_collect_household(self) -> None:
        """Mark every order of the highlighted household collected."""
        from tuan.domain.pickup.collect import household

        row = self.current_row()
        if row is None:
            return
        orders = household(self.rows, row)
        if all(r.state == PickupState.ALL for r in orders):
            self.notify(_("{room} 的订单已全部领取").format(room=row.room_label))
            return
        label = ngettext("{room} 整户领取（{n} 单）", "{room} 整户领取（{n} 单）", len(orders))
        label = label.format(room=row.room_label, n=len(orders))
        ids = [r.order_id for r in orders]
        self.mark(lambda s: _collect(s, ids, True, label))

    def action_collect_lines(self) -> None:
        """Ask how many of each item were handed over (partial collection)."""
        from tuan.tui.pickup.collect import CollectLinesModal

        row = self.current_row()
        if row is None:
            return

        def save(quantities: dict[int, int] | None) -> None:
            if quantities:
                label = _("第{seq}号 {name} 部分领取").format(seq=row.number, name=row.nickname)
                self.mark(lambda s: _set_collected(s, quantities, label))

        self.app.push_screen(CollectLinesModal(row), save)

    def action_toggle_paid(self) -> None:
        """Record that the highlighted order was paid (or was not, after all)."""
        from tuan.domain.pickup.collect import set_paid

        row = self.current_row()
        if row is None:
            return
        paid = not row.paid
        verb = _("已付款") if paid else _("未付款")
        label = _("第{seq}号 {name} {verb}").format(seq=row.number, name=row.nickname, verb=verb)
        self.mark(lambda s: set_paid(s, [row.order_id], paid, label=label))

    def action_give_back(self) -> None:
        """Record that the highlighted order's overpayment went back to her (`多付¥10`)."""
        from tuan.domain.pickup.collect import give_back
        from tuan.domain.shared.money import format_money

        row = self.current_row()
        if row is None:
            return
        if row.overpaid_cents <= 0:
            self.notify(_("这一单没有多付"))
            return
        label = _("第{seq}号 {name} 退还多付 {amount}").format(
            seq=row.number, name=row.nickname, amount=format_money(row.overpaid_cents)
        )
        self.mark(lambda s: give_back(s, row.order_id, label=label))

    def action_refund(self) -> None:
        """Refund pieces or money of the highlighted order (退款/售后); its row reads again."""
        from tuan.tui.shared.refunds import RefundFormScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(RefundFormScreen(row.order_id, _who(row)), self._refunded(row))

    def action_refunds(self) -> None:
        """The highlighted order's refunds, to take one back."""
        from tuan.tui.shared.refunds import RefundListScreen

        row = self.current_row()
        if row is not None:
            self.app.push_screen(RefundListScreen(row.order_id, _who(row)), self._refunded(row))

    def _refunded(self, row: Any) -> Any:
        """After a refund form or list: say what changed and read the order's row again."""
        chain_id = self.chain_id

        def closed(message: str | None) -> None:
            if not message:
                return
            self.notify(message)
            self.writer.submit(
                lambda: _reread(self.app, chain_id, [row.order_id]),
                lambda rows: self.apply_rows(chain_id, rows),
            )

        return closed

    def action_import_bill(self) -> None:
        """Import a WeChat Pay bill or an Alipay statement; the checklist reads again after."""
        from tuan.tui.payments.import_ import PaymentImportScreen

        def closed(_result: object) -> None:
            if self.chain_id is not None:
                self.load_checklist(self.chain_id)

        self.app.push_screen(PaymentImportScreen(), closed)

    def action_remind_pay(self) -> None:
        """Copy the 催款 message of the highlighted order (and show it)."""
        row = self.current_row()
        if row is not None and self.chain_id is not None:
            self._remind_pay(self.chain_id, [row.order_id])

    def action_remind_pay_all(self) -> None:
        """Copy the 催款 messages of every unpaid order of the chain (and show them)."""
        if self.chain_id is not None:
            self._remind_pay(self.chain_id, None)

    def _remind_pay(self, chain_id: int, order_ids: list[int] | None) -> None:
        def read() -> None:
            from tuan.domain.payments.remind import unpaid_reminders

            with tuan_app(self).db.session() as session:
                reminders = unpaid_reminders(session, chain_id, order_ids)
            self.app.call_from_thread(self._show_reminders, reminders)

        self.run_worker(read, thread=True, group="remind-pay", exit_on_error=False)

    def _show_reminders(self, reminders: list[Any]) -> None:
        from tuan.domain.shared.money import format_money
        from tuan.tui.pickup.remind_pay import RemindPayModal

        if not reminders:
            self.notify(_("没有未付款的订单"))
            return
        owed = format_money(sum(r.owed_cents for r in reminders))
        heading = ngettext(
            "催款消息：{n} 单未付，共 {amount}", "催款消息：{n} 单未付，共 {amount}", len(reminders)
        ).format(n=len(reminders), amount=owed)
        text = "\n\n".join(r.message for r in reminders)
        self.app.push_screen(RemindPayModal(heading, text))

    def mark(self, change: Any) -> None:
        """Write `change(session) -> Mark` in the serial writer; remember it for undo."""
        chain_id, stack = self.chain_id, self.undo_stack()

        def job() -> tuple[Any, list[Any]]:
            with tuan_app(self).db.transaction() as session:
                mark = change(session)
            return mark, _reread(self.app, chain_id, mark.order_ids)

        def done(result: tuple[Any, list[Any]]) -> None:
            mark, rows = result
            stack.push(mark)
            self.apply_rows(chain_id, rows)
            if mark.empty:
                self.notify(_("没有变化"))

        self.writer.submit(job, done)

    def action_undo(self) -> None:
        """Take back the newest mark of this chain."""
        from tuan.domain.pickup.collect import undo

        chain_id, stack = self.chain_id, self.undo_stack()

        def job() -> tuple[Any, list[Any]] | None:
            mark = stack.pop()
            if mark is None:
                return None
            with tuan_app(self).db.transaction() as session:
                result = undo(session, mark)
            return result, _reread(self.app, chain_id, result.order_ids)

        def done(outcome: tuple[Any, list[Any]] | None) -> None:
            if outcome is None:
                self.notify(_("没有可撤销的标记"))
                return
            result, rows = outcome
            self.apply_rows(chain_id, rows)
            message = _("已撤销：{label}").format(label=result.mark.label)
            if result.skipped:
                message += _("（{n} 项已被别处改过，未改回）").format(n=result.skipped)
            self.notify(message, severity="warning" if result.skipped else "information")
            self.refresh_bindings()

        self.writer.submit(job, done)

    def apply_rows(self, chain_id: int | None, rows: list[Any]) -> None:
        """Put re-read orders in place: the list, the table cells and the header."""
        if chain_id != self.chain_id:
            return  # the leader moved to another chain; it reloads when chosen again
        table = self.query_one("#checklist", FastTable)
        for fresh in rows:
            old = self.by_id.get(fresh.order_id)
            if old is None:
                continue
            self.rows[self.rows.index(old)] = fresh
            self.by_id[fresh.order_id] = fresh
            if old in self.shown:
                self.shown[self.shown.index(old)] = fresh
            self.cell_cache[fresh.order_id] = cells = self.cells(fresh)
            if str(fresh.order_id) in table.rows:
                table.replace_row(str(fresh.order_id), cells)
        self.refresh_summary()

    def write_failed(self, error: BaseException) -> None:
        """Say that a mark was not saved, and read the chain again so the screen is true."""
        self.refresh_bindings()
        self.notify(_("没有保存：{error}").format(error=error), severity="error", timeout=8)
        if self.chain_id is not None:
            self.load_checklist(self.chain_id)

    def load_checklist(self, chain_id: int) -> None:
        """Read a chain's checklist (provided by the layout)."""

    def action_export(self) -> None:
        """Choose what to export; the file is written in a worker with progress."""
        from tuan.tui.pickup.export import ExportModal

        chain = self.chains.get(self.chain_id or 0)
        if chain is None:
            return
        self.app.push_screen(ExportModal(chain, self.folder()), self.start_export)

    def folder(self) -> Any:
        """The default export folder."""
        raise NotImplementedError

    def start_export(self, request: Any) -> None:
        """Run the chosen export in a worker."""
        if request is not None and self.chain_id is not None:
            chain_id = self.chain_id
            self.run_worker(
                lambda: self._export(chain_id, request),
                thread=True,
                group="pickup-export",
                exit_on_error=False,
            )

    def _export(self, chain_id: int, request: Any) -> None:
        from tuan.domain.pickup.export_data import ExportError, load_export
        from tuan.domain.pickup.exports import export

        summary = self.query_one(PickupSummary)
        label = _("正在导出 {name}").format(name=request.path.name)

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(summary.export_progress, label, done, total)

        progress(0, 1)
        try:
            with tuan_app(self).db.session() as session:
                data = load_export(session, chain_id)
            path = export(data, request.path, request.options, progress)
        except ExportError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error", timeout=10)
        else:
            message = ngettext("已导出 {n} 单：{path}", "已导出 {n} 单：{path}", len(data.rows))
            message = message.format(n=len(data.rows), path=path)
            self.app.call_from_thread(self.notify, message, timeout=8)
        finally:
            self.app.call_from_thread(summary.export_progress, "", 0, 0)

    def action_remind(self) -> None:
        """Create reminders for orders not collected after the pickup window."""
        from tuan import clock
        from tuan.domain.pickup.checklist import create_uncollected_reminders

        def job() -> int:
            with tuan_app(self).db.transaction() as session:
                return create_uncollected_reminders(session, clock.now())

        def done(created: int) -> None:
            self.notify(
                ngettext(
                    "新建未取提醒 {n} 条（在团员页的提醒里）",
                    "新建未取提醒 {n} 条（在团员页的提醒里）",
                    created,
                ).format(n=created)
            )

        self.writer.submit(job, done)


def _who(row: Any) -> str:
    """`第3号 王阿姨`."""
    return _("第{seq}号 {name}").format(seq=row.number, name=row.nickname)


def _collect(session: Any, order_ids: list[int], collected: bool, label: str) -> Any:
    from tuan.domain.pickup.collect import collect_orders

    return collect_orders(session, order_ids, collected=collected, label=label)


def _set_collected(session: Any, quantities: dict[int, int], label: str) -> Any:
    from tuan.domain.pickup.collect import set_collected

    return set_collected(session, quantities, label=label)


def _reread(app: Any, chain_id: int | None, order_ids: list[int]) -> list[Any]:
    from tuan.domain.pickup.checklist import checklist

    if chain_id is None or not order_ids:
        return []
    with app.db.session() as session:
        return checklist(session, chain_id, order_ids)
