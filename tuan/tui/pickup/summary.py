"""The pickup checklist's header: which chain, how far collection has come, what is unpaid."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import ProgressBar, Static

from tuan.i18n import _, ngettext


class PickupSummary(Vertical):
    """Title line, a progress bar of collected orders, unpaid total and the filters in use."""

    DEFAULT_CSS = """
    PickupSummary { height: auto; border: round $primary-darken-1; padding: 0 1; }
    PickupSummary #pickup-title { text-style: bold; }
    PickupSummary Horizontal { height: 1; }
    PickupSummary ProgressBar { width: auto; margin-right: 2; }
    PickupSummary #pickup-progress-soon { width: 29; margin-right: 2; }
    PickupSummary Bar { width: 24; }
    PickupSummary #pickup-counts { width: 1fr; }
    PickupSummary #pickup-unpaid { width: auto; margin-right: 3; }
    PickupSummary #pickup-filters { width: 1fr; }
    PickupSummary #pickup-totals { color: $text-muted; }
    PickupSummary #export-line { display: none; height: 1; }
    PickupSummary #export-line.busy { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._texts: dict[str, Text] = {}  # what each line shows (see `_put`)
        # The export's line, mounted by the first export: (the line, its bar, its label).
        self._export: tuple[Horizontal, ProgressBar, Static] | None = None
        # The progress bar, built after the screen's first frame (`build_progress`), and the
        # (total, done) it must show once it is mounted.
        self._bar: ProgressBar | None = None
        self._progress = (1, 0)

    def compose(self) -> ComposeResult:
        yield Static(_("选择左边的接龙"), id="pickup-title")
        with Horizontal():
            # The bar's place, as wide as the bar and its percentage: the bar itself (three
            # widgets and their styles) is built just after the area's first frame.
            yield Static("", id="pickup-progress-soon")
            yield Static("", id="pickup-counts")
        with Horizontal():
            yield Static("", id="pickup-unpaid")
            yield Static("", id="pickup-filters")
        yield Static("", id="pickup-totals")

    def show(self, chain: Any, progress: Any, totals: Text) -> None:
        """Fill in the chain and its progress (`tuan.domain.pickup.checklist.Progress`)."""
        from tuan.domain.shared.money import format_money
        from tuan.domain.shared.timefmt import time_window

        title = Text(chain.title, style="bold")
        window = time_window(chain.pickup_start, chain.pickup_end)
        title.append(f"   {chain.point}  {window}", style="not bold")
        self._put("#pickup-title", title)
        self._progress = (max(progress.orders, 1), progress.collected)
        self.build_progress()
        self._show_progress()
        counts = Text(_("已领取 {a}/{b} 单").format(a=progress.collected, b=progress.orders))
        if progress.partial:
            counts.append("  " + _("部分领取 {n} 单").format(n=progress.partial), style="yellow")
        left = progress.orders - progress.collected - progress.partial
        counts.append("  " + _("未领取 {n} 单").format(n=left))
        unpaid = ngettext(
            "未付款 {n} 单 {amount}", "未付款 {n} 单 {amount}", progress.unpaid
        ).format(n=progress.unpaid, amount=format_money(progress.unpaid_cents))
        self._put("#pickup-counts", counts, fixed=True)  # one line of the rest of the row
        money = Text(unpaid, style="bold red" if progress.unpaid else "")
        if progress.overpaid:
            money.append(f"  {progress.overpaid_text()}", style="bold magenta")
        self._put("#pickup-unpaid", money, one_line=True)
        self._put("#pickup-totals", totals)

    def build_progress(self) -> None:
        """Put the progress bar in place of its placeholder (once: after the first frame, or
        when a chain is shown before that)."""
        if self._bar is not None or not self.is_attached:
            return
        soon = self.query_one("#pickup-progress-soon", Static)
        self._bar = ProgressBar(total=1, show_eta=False, id="pickup-progress")
        soon.parent.mount(self._bar, before=soon)  # type: ignore[union-attr]
        soon.remove()
        self.call_after_refresh(self._show_progress)

    def _show_progress(self, tries: int = 0) -> None:
        bar = self._bar
        if bar is None or not bar.is_mounted:
            return  # mounting: `build_progress` shows it once it is
        if not bar.query_one("#bar", Widget).size.width and tries < 20:
            # Textual rounds the fill down to half a cell of the bar's width when the value is
            # set (none before it is laid out): set once it is, the bar reads the same however
            # the frames fall (a snapshot on a loaded machine once drew it half a cell longer).
            self.call_after_refresh(self._show_progress, tries + 1)
            return
        total, done = self._progress
        if (bar.total, bar.progress) != (total, done):
            bar.update(total=total, progress=done)

    def _put(self, selector: str, text: Text, fixed: bool = False, one_line: bool = False) -> None:
        """Show `text` in a line, if it changed; lay the screen out only if its size may have
        (`fixed`: the line's size never depends on its text; `one_line`: only its width does).

        A tick changes one count: laying out and repainting every line of the header on each
        key was a good part of the tick's frame.
        """
        shown = self._texts.get(selector)
        if shown is not None and shown == text and shown.style == text.style:
            return
        same_width = one_line and shown is not None and shown.cell_len == text.cell_len
        self._texts[selector] = text
        self.query_one(selector, Static).update(text, layout=not (fixed or same_width))

    def show_message(self, message: str) -> None:
        """A line in place of a chain's title (nothing to collect yet)."""
        self._texts.pop("#pickup-title", None)
        self.query_one("#pickup-title", Static).update(message)

    def show_filters(self, filters: Text) -> None:
        """What the search and toggles show (`只看未领  显示 12/43 单`)."""
        # One line of fixed size: no need to lay the screen out again on every keystroke.
        self.query_one("#pickup-filters", Static).update(filters, layout=False)

    def export_progress(self, label: str, done: int, total: int) -> None:
        """Show an export's progress (total 0 hides the line)."""
        if self._export is None:
            if total <= 0:
                return
            # Built by the first export, not with the screen: one widget tree less to build
            # and style when the area is first opened.
            bar = ProgressBar(total=1, show_eta=False, id="export-progress")
            text = Static("", id="export-label")
            self._export = (Horizontal(bar, text, id="export-line"), bar, text)
            self.mount(self._export[0])
        line, bar, text = self._export
        line.set_class(total > 0, "busy")
        bar.update(total=max(total, 1), progress=done)
        text.update(label)
