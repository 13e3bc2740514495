"""Live mode (直播模式): the full-screen cockpit while on air.

A large clock and the time on air; the current and next segment with planned vs actual time; the
flash sale with its countdown, sold vs cap and gifts left; the running numbers; the latest orders;
and one line to type an order (`王阿姨 2`) that is committed the moment enter is pressed. Every key
works while typing. All state is in the database, so reopening the app resumes here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Input, Static

from tuan.domain.shared.states import LiveStatus
from tuan.i18n import N_, _
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.key_bar import KeyBar
from tuan.tui.shared.loading import DataScreen
from tuan.tui.shared.textual_private import SteadyInput

if TYPE_CHECKING:
    from rich.console import RenderableType
    from sqlmodel import Session

    from tuan.domain.live.state import LiveState, OrderState

HELP = N_(
    """直播模式：开播后一眼看清时间、环节、秒杀和订单，一行记一单。

- 在输入框里写一单，回车立即保存：`王阿姨 2`（当前环节的主推商品 2 件）、`3-1202 套装2`、
  `wy 亚麻1`、`wy tz2`（商品可写拼音首字母或编号：`tz2` `A2` 都是套装 2 件）。
  对上好几位团员时列出 `1 王阿姨 1-302  2 汪阿姨 3-1401`：紧接着按一个数字选人，这一单
  立即记下（改动这一行就不算选）；新团员在行首加 +：`+小周 5-302 套装1`。
- 行末加「券」用这位团员最划算的一张可用券：`王阿姨 2 券`，这单应付金额减去券的金额；
  没有能用的券（没到门槛、已用、已过期）时这一单不记，提示原因。
- 价格按下单那一刻计算：秒杀进行中且没抢光按直播价，否则按接龙价；前 N 名自动送赠品。
- **PgDn**/**PgUp** 下一个/上一个环节（记录实际开始和结束时间），**ctrl+f** 开始/停止秒杀，
  **ctrl+g** 更新观看人数，**ctrl+z** 撤销上一单，**ctrl+t** 结束直播，
  **esc** 回到列表（直播继续）。
- 结束后显示直播总结，并给出接龙文本：按 **c** 复制，发到群里。"""
)


@dataclass(frozen=True)
class LiveEnd:
    """An ended livestream's panel: its title, the summary lines, the chain text to post and the
    summary text to copy."""

    title: str
    pairs: list[tuple[str, str]]
    chain: str
    summary: str


@dataclass(frozen=True)
class LiveModeReading:
    """The live's state, and once it ended, what the end panel shows."""

    state: LiveState
    ended: LiveEnd | None


class LiveModeScreen(DataScreen[LiveModeReading]):
    """One livestream on air (or about to be, or just ended)."""

    AREA = N_("直播模式")
    HELP = HELP
    AUTO_FOCUS = "#entry"
    # On air, every order typed must be answered at once: no area is built ahead meanwhile (a
    # build holds the main thread 0.2-0.5 s on xl; an order typed then waited for it).
    BUILD_AHEAD = False
    DEFAULT_CSS = """
    LiveModeScreen { layout: vertical; }
    LiveModeScreen #top { height: 3; margin-bottom: 1; }
    LiveModeScreen #clock { width: auto; padding: 0 2; color: $accent; }
    LiveModeScreen #status { width: 1fr; height: 3; padding: 0 1; }
    LiveModeScreen #running { height: 1fr; }
    LiveModeScreen #panels { height: 3fr; }
    LiveModeScreen #panels > Vertical { width: 1fr; }
    LiveModeScreen .live-panel { border: round $primary; padding: 0 1; height: 1fr; }
    LiveModeScreen #now { border: round $success; height: 3fr; }
    LiveModeScreen #next { height: 2fr; }
    LiveModeScreen #flash { border: round $secondary; height: 3fr; }
    LiveModeScreen #totals { height: 2fr; }
    LiveModeScreen #orders {
        height: 2fr; min-height: 4; max-height: 10; border: round $panel; padding: 0 1;
    }
    LiveModeScreen #entry-result { height: 2; padding: 0 1; }
    LiveModeScreen #ended { display: none; }
    LiveModeScreen.ended #running { display: none; }
    LiveModeScreen.ended #ended { display: block; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("返回"), id="livemode.back"),
        Binding("ctrl+s", "start_live", N_("开播"), id="livemode.start"),
        Binding("pagedown,ctrl+down", "next_segment", N_("下一环节"), id="livemode.next", key_display="PgDn"),  # noqa: E501
        Binding("pageup,ctrl+up", "previous_segment", N_("上一环节"), id="livemode.prev", show=False),  # noqa: E501
        Binding("ctrl+f", "toggle_flash", N_("秒杀开/停"), id="livemode.flash"),
        Binding("ctrl+g", "viewers", N_("观看人数"), id="livemode.viewers"),
        Binding("ctrl+z", "undo", N_("撤销上一单"), id="livemode.undo"),
        Binding("ctrl+t", "end_live", N_("结束直播"), id="livemode.end"),
        Binding("c", "copy_chain", N_("复制接龙文本"), id="livemode.copy_chain"),
        Binding("y", "copy_summary", N_("复制总结"), id="livemode.copy_summary", show=False),
    ]  # fmt: skip

    def __init__(self, live_id: int) -> None:
        super().__init__()
        self.live_id = live_id
        self.state: LiveState | None = None
        self.end_texts: tuple[str, str] = ("", "")
        self._write_lock = threading.Lock()
        # A refused line whose name fitted several members: (the line as it stands, their ids).
        self._pick: tuple[str, tuple[int, ...]] | None = None
        self._painted: LiveState | None = None  # the reading the panels show
        self._shown_texts: dict[str, Text] = {}  # each panel's text as shown
        self._rehearsed = False

    def compose(self) -> ComposeResult:
        from tuan.tui.live.end import LiveEndPanel

        with Horizontal(id="top"):
            yield Digits("--:--:--", id="clock")
            yield Static("", id="status")
        with Vertical(id="running"):
            with Horizontal(id="panels"):
                with Vertical():
                    yield self._panel("now", _("当前环节"))
                    yield self._panel("next", _("下一环节"))
                with Vertical():
                    yield self._panel("flash", _("秒杀"))
                    yield self._panel("totals", _("本场数据"))
            yield self._panel("orders", _("最新订单"))
            yield SteadyInput(
                placeholder=_("记一单：王阿姨 2 / 3-1202 套装2 / wy 亚麻1，回车保存"), id="entry"
            )
            yield Static("", id="entry-result")
        yield LiveEndPanel(id="ended")
        yield KeyBar()

    @staticmethod
    def _panel(ident: str, title: str) -> Static:
        panel = Static("", id=ident, classes="live-panel")
        panel.border_title = title
        return panel

    def on_mount(self) -> None:
        self.reload()
        self.set_interval(1, self.tick)
        # Re-read now and then: orders typed elsewhere (another window, the CLI) show up too.
        self.set_interval(5, self.reload)

    # --- reading and painting ---------------------------------------------------------------

    def fetch(self) -> LiveModeReading:
        """The live's state, and once it ended, its summary and chain texts."""
        from tuan.domain.live.state import load_live_state

        with tuan_app(self).db.session() as session:
            state = load_live_state(session, self.live_id)
            ended = self._end_texts(session) if state.status == LiveStatus.ENDED else None
        return LiveModeReading(state, ended)

    def show_error(self, error: Exception) -> None:
        """Say that reading failed; the next read (every few seconds) tries again."""
        message = _("读取直播失败：{error}。数据没有改动，稍后会自动重试。").format(error=error)
        self.notify(message, severity="error")

    def _end_texts(self, session: Session) -> LiveEnd:
        from tuan.domain.live.shows import get_live
        from tuan.domain.live.summary import summary_of
        from tuan.domain.live.text import chain_post_text, live_title, summary_lines, summary_text

        live = get_live(session, self.live_id)
        summary = summary_of(session, self.live_id)
        assert summary is not None
        from tuan.domain.dashboard.metrics import live_margin, margin_detail

        chain = chain_post_text(session, live.chain_id) if live.chain_id else ""
        # Gross profit is the leader's own: shown here, left out of the summary copied to post.
        pairs = [
            *summary_lines(live, summary),
            (_("毛利"), margin_detail(live_margin(session, live.id or 0))),
        ]
        return LiveEnd(live_title(live), pairs, chain, summary_text(live, summary))

    def show(self, data: LiveModeReading) -> None:
        """Paint the state read (the clock ticks on its own between reads)."""
        state, ended = data.state, data.ended
        self.state = state
        self.set_class(state.status == LiveStatus.ENDED, "ended")
        entry = self.query_one("#entry", Input)
        entry.disabled = state.status != LiveStatus.LIVE
        entry.placeholder = (
            _("开播后在这里记单（ctrl+s 开播）")
            if state.status == LiveStatus.PLANNED
            else _("记一单：王阿姨 2 / 3-1202 套装2 / wy 亚麻1，回车保存")
        )
        if ended is not None:
            self.end_texts = (ended.chain, ended.summary)
            from tuan.tui.live.end import LiveEndPanel

            self.query_one(LiveEndPanel).show(ended.title, ended.pairs, ended.chain)
        elif state.status == LiveStatus.LIVE and not entry.has_focus:
            entry.focus()
        self.tick()
        self.refresh_bindings()
        if state.status == LiveStatus.LIVE and not self._rehearsed:
            self._rehearsed = True
            self.call_after_refresh(self._start_rehearsal)  # not beside this frame

    def _start_rehearsal(self) -> None:
        if self.is_attached and self.app.is_running:  # not as the app closes
            self._rehearse()

    @work(thread=True, group="rehearse", exit_on_error=False)
    def _rehearse(self) -> None:
        """Take a made-up order and roll it back, so the first one typed is as quick as the rest
        (`tuan/domain/live/rehearse.py`)."""
        from tuan.domain.live.rehearse import rehearse_order

        # A line typed meanwhile waits these few ms here rather than in SQLite's busy wait.
        with self._write_lock:
            rehearse_order(tuan_app(self).db, self.live_id)

    def tick(self) -> None:
        """Move the clock and everything that counts time (every second)."""
        from tuan import clock
        from tuan.tui.live import panels

        now = clock.now()
        state = self.state
        for digits in self.query("#clock").results(Digits):
            digits.update(f"{clock.local(now):%H:%M:%S}")
        texts: dict[str, RenderableType] = {}
        if state is not None:
            texts |= {
                "#status": panels.status_text(state, now),
                "#now": panels.current_text(state, now),
                "#next": panels.next_text(state, now),
                "#flash": panels.flash_text(state, now),
            }
            if state is not self._painted:  # these two change with a reading, not with time
                texts["#totals"] = panels.totals_text(state)
                texts["#orders"] = panels.orders_table(state)
        for selector, text in texts.items():
            before = self._shown_texts.get(selector)
            if isinstance(text, Text) and before == text and before.style == text.style:
                continue  # most panels read the same from one second to the next
            # A tick can land while the screen is closing and its panels are already gone.
            for shown in self.query(selector).results(Static):
                # Every panel's size is set by the layout, never by its text: no need to lay
                # the screen out again (each second, and on each order typed).
                shown.update(text, layout=False)
                if isinstance(text, Text):
                    self._shown_texts[selector] = text
        self._painted = state

    # --- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.state.status if self.state is not None else ""
        on_air = {"next_segment", "previous_segment", "toggle_flash", "viewers", "undo", "end_live"}
        if action in on_air:
            return status == LiveStatus.LIVE
        if action == "start_live":
            return status == LiveStatus.PLANNED
        if action in {"copy_chain", "copy_summary"}:
            return status == LiveStatus.ENDED
        return True

    def action_back(self) -> None:
        """Back to the list; a live on air keeps running."""
        self.dismiss()

    def action_start_live(self) -> None:
        """Go on air now."""
        self._act("start", _("已开播"))

    def action_next_segment(self) -> None:
        """End this segment and start the next."""
        self._act("next", "")

    def action_previous_segment(self) -> None:
        """Go back to the previous segment (a step forward taken by mistake)."""
        self._act("previous", "")

    def action_toggle_flash(self) -> None:
        """Start the flash sale that fits now, or stop the running one."""
        self._act("flash", "")

    def action_undo(self) -> None:
        """Cancel the last order of this live."""
        self._act("undo", "")

    def action_end_live(self) -> None:
        """End the live (after a yes): store the summary and show the chain text."""
        from tuan.tui.shared.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._act("end", _("直播已结束，总结已保存"))

        self.app.push_screen(ConfirmScreen(_("结束直播？结束后会保存直播总结。")), answered)

    @work(thread=True, group="write", exit_on_error=False)
    def _act(self, what: str, done: str) -> None:
        from tuan.tui.live.mode_actions import run_action

        with self._write_lock:
            message, ok = run_action(tuan_app(self).db, self.live_id, what)
        if message or done:
            severity = "information" if ok else "error"
            notify = self.notify
            self.app.call_from_thread(notify, message or done, severity=severity, timeout=3)
        self.app.call_from_thread(self.reload)

    def action_viewers(self) -> None:
        """Update the viewer count (the peak keeps the highest)."""
        from tuan.tui.live.forms import FormModal
        from tuan.tui.live.specs import viewers_form

        viewers = self.state.viewers if self.state is not None else 0
        modal = FormModal(*viewers_form(tuan_app(self).db, self.live_id, viewers))
        self.app.push_screen(modal, lambda saved: self.reload())

    # --- one-line order entry ---------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = event.value.strip()
        if line:
            self._enter(line)

    def on_input_changed(self, event: Input.Changed) -> None:
        """One digit typed right after a line that fitted several members picks one of them."""
        pick, self._pick = self._pick, None
        if pick is None or event.input.id != "entry":
            return
        line, ids = pick
        digit = event.value[len(line) :]
        if event.value.startswith(line) and digit in {str(n) for n in range(1, len(ids) + 1)}:
            with event.input.prevent(Input.Changed):
                event.input.value = line  # the digit picked; it is not part of the order
            self._enter(line.strip(), ids[int(digit) - 1])

    @work(thread=True, group="write", exit_on_error=False)
    def _enter(self, line: str, member_id: int | None = None) -> None:
        from tuan.domain.live.entry import enter_line
        from tuan.domain.live.state import recent_orders

        with self._write_lock:
            db = tuan_app(self).db
            result = enter_line(db, self.live_id, line, member_id=member_id)
        new: OrderState | None = None
        if result.ok and result.order_id is not None:
            # The order as 最新订单 lists it (one short read), drawn in the same frame as the
            # answer: before, it waited for the whole live to be read again and a second frame.
            with db.session() as session:
                latest = recent_orders(session, self.live_id, limit=1)
            new = next((order for order in latest if order.id == result.order_id), None)
        self.app.call_from_thread(self._entered, line, result, new)

    def _list_order(self, order: OrderState) -> None:
        """Put an order just typed at the top of 最新订单 (the next reading redraws it all)."""
        from dataclasses import replace

        from tuan.domain.live.state import RECENT_ORDERS
        from tuan.tui.live import panels

        state = self.state
        if state is None or any(shown.id == order.id for shown in state.orders):
            return  # a reading already has it
        self.state = replace(state, orders=(order, *state.orders)[:RECENT_ORDERS])
        self._painted = self.state  # the totals wait for the reading that follows
        for shown in self.query("#orders").results(Static):
            shown.update(panels.orders_table(self.state), layout=False)

    def _entered(self, line: str, result: Any, new: OrderState | None = None) -> None:
        entry = self.query_one("#entry", Input)
        style = "bold green" if result.ok else "bold red"
        # two lines of fixed height: no layout of the whole screen for the answer
        self.query_one("#entry-result", Static).update(
            Text(result.message, style=style), layout=False
        )
        if result.ok:
            if entry.value.strip() == line:
                entry.value = ""
            if new is not None:
                self._list_order(new)
            # The totals and the rest: read once this frame is out (a thread reading beside it
            # would take the interpreter lock from the drawing).
            self.call_after_refresh(self.reload)
        else:
            if result.candidate_ids and entry.value.strip() == line:
                self._pick = (entry.value, result.candidate_ids)
            self.app.bell()

    # --- after the live ---------------------------------------------------------------------

    def action_copy_chain(self) -> None:
        """Copy the chain text to post in the groups."""
        from tuan.tui.shared.clipboard import copy_text

        copy_text(self.app, self.end_texts[0], _("接龙文本已复制，可以发到群里"))

    def action_copy_summary(self) -> None:
        """Copy the summary as text."""
        from tuan.tui.shared.clipboard import copy_text

        copy_text(self.app, self.end_texts[1], _("直播总结已复制"))
