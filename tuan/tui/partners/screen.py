"""海报 Partners & posters: partner sites, the members each brought, their posters and QR codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import DataTable, Static

from tuan.i18n import N_, _
from tuan.tui.partners.forms import AssignSourceModal, FormModal
from tuan.tui.partners.preview import QrPreview, poster_text
from tuan.tui.shared.base import WARM_AFTER_SECONDS, AreaScreen
from tuan.tui.shared.fast_table import FastTable
from tuan.tui.shared.host import tuan_app

if TYPE_CHECKING:
    from tuan.domain.partners.posters import PosterSpec
    from tuan.domain.partners.sites import BroughtMember, PartnerRow

HELP = N_(
    """合作点位是放海报的健身房和瑜伽馆。每个点位有自己的来源码（例如 YD01），印在海报上；
扫码入群的团员记在这个点位名下，表里能看到每个点位带来多少团员、他们一共消费多少。

**海报**：标题、优惠说明、品牌、点位名称和来源码，加一个二维码。二维码可以用一段内容生成
（网址或文字，例如企业微信「联系我」链接，长期有效），也可以直接放你自己的群二维码图片。
**微信群二维码 7 天后失效**（从添加到应用时算起）：快到期和过期的海报在「二维码」一栏标红，
请及时换新码。

导出的 PDF 是 A4 打印版（文字可搜索、打印清晰），PNG 是 1080×1920 的手机图片，保存在
文档/tuan 文件夹（可用环境变量 TUAN_EXPORT_DIR 更改）。需要中文字体：找不到时会提示安装什么，
也可用环境变量 TUAN_FONT 指定字体文件。

下方左边是所选点位带来的团员；按 s 可以把一位团员的来源记到这个点位。"""
)


MAX_TABLE_ROWS = 10  # more partners scroll; the lower panels keep their room


@dataclass
class PartnerDetail:
    """What the lower panels show for the highlighted partner."""

    spec: PosterSpec
    members: list[BroughtMember] = field(default_factory=list)
    matrix: list[list[bool]] | None = None
    caption: str = ""


@dataclass(frozen=True)
class PartnersReading:
    """Every partner site with the members it brought, their spend and its poster's QR."""

    rows: list[PartnerRow]


class PartnersScreen(AreaScreen[PartnersReading]):
    """Partners, their posters, and who each one brought."""

    AREA = N_("海报")
    HELP = HELP
    BINDINGS = [
        *AreaScreen.BINDINGS,
        Binding("a", "add", N_("新建点位"), id="partners.add"),
        Binding("e", "edit", N_("编辑点位"), id="partners.edit"),
        Binding("p", "poster", N_("编辑海报"), id="partners.poster"),
        Binding("x", "export('pdf')", N_("导出PDF"), id="partners.pdf"),
        Binding("i", "export('png')", N_("导出图片"), id="partners.png"),
        Binding("s", "assign", N_("登记来源"), id="partners.assign"),
    ]
    DEFAULT_CSS = """
    PartnersScreen #partner-table { height: 6; }
    PartnersScreen #partner-lower { height: 1fr; }
    PartnersScreen #brought-title { height: 1; padding: 0 1; color: $text-muted; }
    PartnersScreen #brought-table { height: 1fr; }
    PartnersScreen #poster-info { width: 36; height: auto; border: round $primary-darken-1;
        padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PartnerRow] = []
        self.detail: PartnerDetail | None = None
        self.selected_id: int | None = None
        self._select_newest = False  # after adding a partner, show it

    def compose_body(self) -> ComposeResult:
        yield FastTable(id="partner-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="partner-lower"):
            with Vertical(id="brought"):
                yield Static("", id="brought-title")
                yield FastTable(id="brought-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="poster-info")
            yield QrPreview("", id="qr-preview")

    def on_mount(self) -> None:
        if not self.app.is_running:
            return  # built ahead as the app closed: its widgets are already gone
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
            _("二维码"),
        )
        self.query_one("#brought-table", DataTable).add_columns(
            _("编号"), _("昵称"), _("房号"), _("入群"), _("订单"), _("累计消费")
        )
        self.query_one("#poster-info", Static).border_title = _("当前海报")
        super().on_mount()

    def fetch(self) -> PartnersReading:
        from tuan.domain.partners.sites import list_partners

        with tuan_app(self).db.session() as session:
            return PartnersReading(list_partners(session))

    def show(self, data: PartnersReading) -> None:
        from tuan.domain.shared.money import format_money

        self.rows = data.rows
        table = self.query_one("#partner-table", DataTable)
        table.clear()
        for p in self.rows:
            qr = Text(p.qr_label, style="bold red" if p.qr_urgent else "")
            table.add_row(
                str(p.id),
                p.name,
                p.kind,
                p.address,
                p.contact,
                p.code,
                str(p.members),
                format_money(p.spend_cents),
                _poster_day(p),
                qr,
                key=str(p.id),
            )
        table.styles.height = min(len(self.rows), MAX_TABLE_ROWS) + 2  # header, spare line
        ids = [p.id for p in self.rows]
        if self._select_newest and ids:
            self._select_newest = False
            self.selected_id = max(ids)
        if self.selected_id in ids:
            table.move_cursor(row=ids.index(self.selected_id))
        elif ids:
            self.selected_id = ids[0]
        else:
            self.selected_id = None
        self.load_detail()

    @on(DataTable.RowHighlighted, "#partner-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None and int(event.row_key.value) != self.selected_id:
            self.selected_id = int(event.row_key.value)
            self.load_detail()

    def load_detail(self) -> None:
        """Fetch the highlighted partner's poster and members in a worker."""
        if self.selected_id is None:
            self.detail = None
            self._show_empty()
            return
        self._fetch_detail(self.selected_id)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _fetch_detail(self, partner_id: int) -> None:
        from tuan.domain.partners.poster_layout import image_matrix, qr_matrix
        from tuan.domain.partners.posters import PartnerNotFound, poster_spec
        from tuan.domain.partners.sites import partner_members

        try:
            with tuan_app(self).db.session() as session:
                spec = poster_spec(session, partner_id)
                members = partner_members(session, partner_id)
        except PartnerNotFound:
            return
        detail = PartnerDetail(spec, members, caption=_("二维码预览"))
        try:
            if spec.qr_image_path:
                detail.matrix = image_matrix(spec.qr_image_path)
                detail.caption = _("群二维码图片（示意）")
            elif spec.qr_payload.strip():
                detail.matrix = qr_matrix(spec.qr_payload, border=2)
        except OSError:
            detail.caption = _("二维码图片找不到了")
        self.app.call_from_thread(self._show_detail, detail)

    def _show_detail(self, detail: PartnerDetail) -> None:
        try:
            self._draw_detail(detail)
        except NoMatches:
            return  # the app closed while this was loading: nothing left to show it in

    def _draw_detail(self, detail: PartnerDetail) -> None:
        from tuan.domain.shared.money import format_money
        from tuan.domain.shared.rooms import format_room

        if detail.spec.partner_id != self.selected_id:
            return  # the cursor moved on while this was loading
        self.detail = detail
        row = next((p for p in self.rows if p.id == detail.spec.partner_id), None)
        total = row.members if row else len(detail.members)
        title = _("「{name}」带来的团员：{n} 人").format(name=detail.spec.partner_name, n=total)
        self.query_one("#brought-title", Static).update(title)
        table = self.query_one("#brought-table", DataTable)
        table.clear()
        table.add_rows(
            (
                str(m.id),
                m.nickname,
                format_room(m.building, m.room),
                m.joined_on.isoformat(),
                str(m.orders),
                format_money(m.spend_cents),
            )
            for m in detail.members
        )
        notes = row.notes if row is not None else ""
        self.query_one("#poster-info", Static).update(poster_text(detail.spec, notes=notes))
        self.query_one(QrPreview).show_matrix(detail.matrix, detail.caption)
        self.refresh_bindings()
        if not self.is_current:  # built ahead: draw the detail too before the first visit
            self.set_timer(WARM_AFTER_SECONDS, self._warm)

    def _show_empty(self) -> None:
        try:
            self.query_one("#brought-title", Static).update("")
            self.query_one("#brought-table", DataTable).clear()
            self.query_one("#poster-info", Static).update(_("还没有合作点位：按 a 新建一个"))
            self.query_one(QrPreview).show_matrix(None, _("二维码预览"))
        except NoMatches:
            return  # the app closed while this was loading
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "poster", "assign", "export") and self.detail is None:
            return None
        if action == "export" and self.detail is not None and not self.detail.spec.has_qr:
            return None
        return True

    # Actions ---------------------------------------------------------------------------------

    def _after_form(self, message: str | None) -> None:
        if message:
            self.notify(message)
            self.reload()

    def action_add(self) -> None:
        """Add a partner site."""
        from tuan.tui.partners.actions import partner_fields, save_partner_values

        form = FormModal(
            _("新建合作点位"),
            partner_fields(None),
            lambda values: save_partner_values(self.app, values, None),
        )
        self.app.push_screen(form, self._after_add)

    def _after_add(self, message: str | None) -> None:
        if message:
            self.selected_id = None
            self._select_newest = True
        self._after_form(message)

    def action_edit(self) -> None:
        """Change the highlighted partner's details."""
        from tuan.tui.partners.actions import partner_fields, save_partner_values

        row = next((p for p in self.rows if p.id == self.selected_id), None)
        if row is None:
            return
        form = FormModal(
            _("编辑合作点位：{name}").format(name=row.name),
            partner_fields(row),
            lambda values: save_partner_values(self.app, values, row.id),
        )
        self.app.push_screen(form, self._after_form)

    def action_poster(self) -> None:
        """Edit the highlighted partner's poster (a new version; the old one stays on record)."""
        from tuan.tui.partners.actions import poster_fields, poster_note, save_poster_values

        if self.detail is None:
            return
        spec = self.detail.spec
        form = FormModal(
            _("海报：{name}（来源码 {code}）").format(name=spec.partner_name, code=spec.code),
            poster_fields(spec),
            lambda values: save_poster_values(self.app, spec.partner_id, values),
            note=poster_note(spec),
        )
        self.app.push_screen(form, self._after_form)

    def action_assign(self) -> None:
        """Record a member as brought by the highlighted partner."""
        from tuan.tui.partners.actions import assign_member, search_members

        if self.detail is None:
            return
        spec = self.detail.spec
        title = _("把团员的来源记为「{name}」（来源码 {code}）").format(
            name=spec.partner_name, code=spec.code
        )
        modal = AssignSourceModal(
            title,
            lambda query: search_members(self.app, query),
            lambda member_id: assign_member(self.app, member_id, spec.code),
        )
        self.app.push_screen(modal, self._after_form)

    def action_export(self, fmt: str) -> None:
        """Write the poster as PDF or PNG into the export folder (in a worker)."""
        if self.detail is not None:
            self.notify(_("正在生成海报…"), timeout=2)
            self._export(self.detail.spec.partner_id, fmt)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, partner_id: int, fmt: str) -> None:
        from tuan.tui.partners.actions import export

        for message, severity in export(self.app, partner_id, fmt):
            self.app.call_from_thread(self.notify, message, severity=severity, timeout=10)


def _poster_day(row: PartnerRow) -> str:
    """`11-23 周一`, the day the current poster was made ('' when it has none)."""
    from tuan import clock
    from tuan.domain.shared.timefmt import weekday

    if row.poster_at is None:
        return _("无海报")
    local = clock.local(row.poster_at)
    return f"{local:%m-%d} {weekday(local.date())}"
