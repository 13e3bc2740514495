"""海报 Partners & posters: partner gyms and studios, the members each brought, poster dates."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import DataTable

from tuan.i18n import _
from tuan.tui.screens.base import AreaScreen

HELP = """合作点位是放海报的健身房和瑜伽馆。每个点位有自己的来源码，扫码入群的团员记在这个点位名下。

表里是每个点位带来的团员、他们的累计消费，以及当前海报的制作日期。"""


class PartnersScreen(AreaScreen):
    """Partners with what their posters brought."""

    AREA = _("海报")
    HELP = HELP

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="partner-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        self.query_one("#partner-table", DataTable).add_columns(
            _("编号"),
            _("名称"),
            _("类型"),
            _("地址"),
            _("联系人"),
            _("来源码"),
            _("带来团员"),
            _("团员消费"),
            _("海报日期"),
        )
        super().on_mount()

    def fetch(self) -> Any:
        from tuan.domain.partners import list_partners

        with self.app.db.session() as session:  # type: ignore[attr-defined]
            return list_partners(session)

    def show(self, data: Any) -> None:
        from tuan.domain.money import format_money
        from tuan.domain.timefmt import short_datetime

        table = self.query_one("#partner-table", DataTable)
        table.clear()
        table.add_rows(
            (
                str(p.id),
                p.name,
                p.kind,
                p.address,
                p.contact,
                p.code,
                str(p.members),
                format_money(p.spend_cents),
                short_datetime(p.poster_at),
            )
            for p in data
        )
