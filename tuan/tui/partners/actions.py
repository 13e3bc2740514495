"""What the partners area's forms and exports do, between the app's database and the domain.

Every function here that touches the database or files runs in a thread (a form's saver or a
worker); the domain is imported inside them so opening the app stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tuan.domain.shared.file_errors import os_problem
from tuan.i18n import _
from tuan.tui.shared.form import FieldSpec

if TYPE_CHECKING:
    from tuan.domain.partners.posters import PosterSpec
    from tuan.domain.partners.sites import PartnerRow


def partner_fields(row: PartnerRow | None) -> list[FieldSpec]:
    """The partner form's fields, filled from `row` when editing."""

    def value(name: str) -> str:
        return str(getattr(row, name, "")) if row is not None else ""

    return [
        FieldSpec("name", _("名称"), value("name"), _("例如：悦动健身（阳光店）")),
        FieldSpec("kind", _("类型"), value("kind"), _("健身房 / 瑜伽馆 / 普拉提 …")),
        FieldSpec("address", _("地址"), value("address")),
        FieldSpec("contact", _("联系人"), value("contact"), _("例如：前台 刘教练 139…")),
        FieldSpec(
            "code",
            _("来源码"),
            value("code"),
            _("2 到 12 个字母或数字"),
            _("印在海报上，用来记团员是从哪个点位来的；留空自动生成"),
        ),
        FieldSpec("notes", _("备注"), value("notes")),
    ]


def save_partner_values(app: Any, values: dict[str, str], partner_id: int | None) -> str:
    """Save the partner form (thread). Raises PartnerError for the form to show."""
    from tuan.domain.partners.sites import PartnerDraft, save_partner

    draft = PartnerDraft(**values)
    with app.db.transaction() as session:
        partner = save_partner(session, draft, partner_id)
        name, code = partner.name, partner.code
    if partner_id is None:
        return _("已新建合作点位「{name}」，来源码 {code}。按 p 设置它的海报").format(
            name=name, code=code
        )
    return _("已保存「{name}」").format(name=name)


def poster_fields(spec: PosterSpec) -> list[FieldSpec]:
    """The poster form's fields, filled from the current poster (or the house defaults)."""
    return [
        FieldSpec(
            "headline", _("标题"), spec.headline, _("例如：扫码入群，免费领取《7天健康食谱》")
        ),
        FieldSpec("offer", _("优惠说明"), spec.offer, _("例如：新人首单立减10元")),
        FieldSpec("brand", _("品牌"), spec.brand, _("例如：绿源生活")),
        FieldSpec(
            "qr_payload",
            _("二维码内容"),
            spec.qr_payload,
            _("网址或文字"),
            _("例如企业微信「联系我」链接（长期有效）。weixin.qq.com/g/ 开头的群链接 7 天失效"),
        ),
        FieldSpec(
            "qr_image",
            _("群二维码图片"),
            spec.qr_image_path,
            _("图片文件路径，例如 ~/Downloads/群二维码.png"),
            _("填了就用这张图，原样放上海报（会复制一份保存）。微信群二维码 7 天后失效"),
        ),
    ]


def poster_note(spec: PosterSpec) -> str:
    """A line under the poster form about the QR now on the poster."""
    label, _urgent = spec.status()
    return _("当前二维码：{label}。保存会生成新版海报，旧版留作记录").format(label=label)


def save_poster_values(app: Any, partner_id: int, values: dict[str, str]) -> str:
    """Save the poster form (thread). Raises PosterError for the form to show."""
    from tuan.domain.partners.posters import PosterDraft, poster_spec, qr_image_dir, save_poster

    draft = PosterDraft(**values)
    with app.db.transaction() as session:
        save_poster(session, partner_id, draft, qr_image_dir(app.db))
        spec = poster_spec(session, partner_id)
    message = _("已保存「{name}」的海报，按 x 导出 PDF，按 i 导出图片").format(
        name=spec.partner_name
    )
    warning = spec.expiry_message()
    return f"{message}\n{warning}" if warning else message


def search_members(app: Any, query: str) -> list[tuple[int, str]]:
    """Members matching what was typed, labelled with room and current source (thread)."""
    from sqlmodel import select

    from tuan.domain.members.listing import source_label
    from tuan.domain.shared.people import find_members
    from tuan.domain.shared.rooms import format_room
    from tuan.models import Partner

    with app.db.session() as session:
        found = find_members(session, query, limit=8)
        partners = dict(session.exec(select(Partner.id, Partner.name)).all())
    labels = []
    for member in found:
        source = source_label(member.source)
        if member.partner_id in partners:
            source += f" {partners[member.partner_id]}"
        room = format_room(member.building, member.room)
        source_text = _("来源：{source}").format(source=source)
        labels.append((member.id or 0, f"{member.nickname}  {room}  {source_text}"))
    return labels


def assign_member(app: Any, member_id: int, code: str) -> str:
    """Record the member's source as the partner with `code` (thread)."""
    from tuan.domain.partners.sites import assign_partner_source
    from tuan.models import Member

    with app.db.transaction() as session:
        before = session.get(Member, member_id)
        was = (before.source, before.partner_id) if before is not None else None
        member = assign_partner_source(session, member_id, code)
        unchanged = was == (member.source, member.partner_id)
        nickname = member.nickname
    if unchanged:
        return _("{name} 本来就记在来源码 {code} 名下").format(name=nickname, code=code)
    return _("已把 {name} 的来源记为来源码 {code}").format(name=nickname, code=code)


def export(app: Any, partner_id: int, fmt: str) -> list[tuple[str, str]]:
    """Write the poster into the export folder (thread); returns (message, severity) pairs."""
    from tuan.domain.partners.poster_render import export_dir, export_poster, poster_filename
    from tuan.domain.partners.posters import PartnerNotFound, PosterError, poster_spec
    from tuan.domain.shared.fonts import FontError, find_cjk_font

    try:
        font = find_cjk_font()
        with app.db.session() as session:
            spec = poster_spec(session, partner_id)
        folder = export_dir()
        folder.mkdir(parents=True, exist_ok=True)
        result = export_poster(spec, folder / poster_filename(spec, fmt), font)
    except (FontError, PosterError, PartnerNotFound) as error:
        return [(str(error), "error")]
    except OSError as error:
        return [(_("保存海报失败：{error}").format(error=os_problem(error)), "error")]
    notes = [(warning, "warning") for warning in result.warnings]
    return [*notes, (_("海报已导出：{path}").format(path=result.path), "information")]
