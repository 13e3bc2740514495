"""What the members area's own screens share (member page, inbox, rules, KOC)."""

from __future__ import annotations

from typing import ClassVar

from textual import work

from tuan.i18n import N_, _
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.loading import DataScreen, ReadingT


class MemberAreaScreen(DataScreen[ReadingT]):
    """A screen pushed over the members list: its data read in a worker, help like the areas."""

    AREA: ClassVar[str] = N_("团员")

    @work(thread=True, exclusive=True, group="rules")
    def run_rules(self) -> None:
        """Apply the tag and reminder rules now, say what they did, and read again."""
        from tuan import clock
        from tuan.domain.members.rules import report_lines, run_rules

        with tuan_app(self).db.transaction() as session:
            report = run_rules(session, clock.now())
        self.app.call_from_thread(self.notify, "\n".join(report_lines(report)), title=_("规则"))
        self.app.call_from_thread(self.reload)
