"""What each live form shows and how it saves: read in a worker, saved through the domain.

Each builder runs in a thread (it reads the database) and returns the form's title, its fields
with current values and choices, and the save callback the form runs in its own worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tuan.i18n import _
from tuan.tui.shared.form import FieldSpec

if TYPE_CHECKING:
    from tuan.db import Database
    from tuan.domain.live.flash import FlashRow

FormSpec = tuple[str, list[FieldSpec], Callable[[dict[str, str]], None]]


def live_form(db: Database, live_id: int | None) -> FormSpec:
    """Create or edit a livestream (theme, series, episode, host, time, linked chain)."""
    from tuan.domain.chains.listing import list_chains, status_label
    from tuan.domain.live.drafts import live_draft
    from tuan.domain.live.shows import create_livestream, get_live, update_livestream

    with db.session() as session:
        live = get_live(session, live_id) if live_id is not None else None
        chains = list_chains(session, limit=200)
    when = ""
    if live is not None and live.scheduled_at is not None:
        from tuan import clock

        when = f"{clock.local(live.scheduled_at):%Y-%m-%d %H:%M}"
    options = [
        (
            f"{c.id}  " + _("{text}（{note}）").format(text=c.title, note=status_label(c.status)),
            str(c.id),
        )
        for c in chains
    ]
    fields = [
        FieldSpec("theme", _("主题"), live.theme if live else "", _("例如 食用油的选择")),
        FieldSpec("series", _("系列"), live.series if live else "", _("例如 厨房里的健康密码")),
        FieldSpec("episode", _("期数"), str(live.episode) if live else "1"),
        FieldSpec("host", _("主播"), live.host if live else "", _("例如 营养师林老师")),
        FieldSpec("scheduled_at", _("开播时间"), when, _("例如 11-27 19:30 或 明天 19:30")),
        FieldSpec(
            "chain_id",
            _("关联接龙（直播卖的商品）"),
            str(live.chain_id or "") if live else "",
            options=options,
        ),
    ]

    def save(values: dict[str, str]) -> None:
        draft = live_draft(values)
        with db.transaction() as session:
            if live_id is None:
                create_livestream(session, draft)
            else:
                update_livestream(session, live_id, draft)

    return (_("编辑直播") if live else _("新建直播")), fields, save


def _item_options(db: Database, live_id: int) -> list[tuple[str, str]]:
    from tuan.domain.chains.listing import chain_items
    from tuan.domain.live.shows import get_live
    from tuan.domain.shared.money import format_money

    with db.session() as session:
        live = get_live(session, live_id)
        if live.chain_id is None:
            return []
        items = chain_items(session, live.chain_id)
    return [
        (f"{i.code + '. ' if i.code else ''}{i.name} {format_money(i.price_cents)}", str(i.id))
        for i in items
    ]


def segment_form(db: Database, live_id: int, segment_id: int | None, position: int) -> FormSpec:
    """Add (at `position`) or edit a segment of the run-of-show."""
    from tuan.domain.live.drafts import segment_draft
    from tuan.domain.live.shows import add_segment, run_of_show, update_segment

    with db.session() as session:
        rows = {row.id: row for row in run_of_show(session, live_id)}
    row = rows.get(segment_id or 0)
    fields = [
        FieldSpec(
            "title", _("环节标题"), row.title if row else "", _("例如 秒杀：健康厨房入门套装")
        ),
        FieldSpec("planned_minutes", _("时长（分钟）"), str(row.planned_minutes) if row else "5"),
        FieldSpec("talking_points", _("要点"), row.talking_points if row else "", _("要讲的要点")),
        FieldSpec(
            "item_id",
            _("主推商品"),
            str(row.item_id or "") if row else "",
            options=_item_options(db, live_id),
        ),
    ]

    def save(values: dict[str, str]) -> None:
        draft = segment_draft(values)
        with db.transaction() as session:
            if segment_id is None:
                add_segment(session, live_id, draft, position)
            else:
                update_segment(session, segment_id, draft)

    return (_("编辑环节") if row else _("添加环节")), fields, save


def flash_form(db: Database, live_id: int, sale_id: int | None) -> FormSpec:
    """Add or edit a flash sale (item, live price, window or segment, cap, first-N gift)."""
    from tuan.domain.live.drafts import flash_draft
    from tuan.domain.live.flash import add_flash_sale, list_flash_sales, update_flash_sale
    from tuan.domain.live.shows import run_of_show

    with db.session() as session:
        sale = next((s for s in list_flash_sales(session, live_id) if s.id == sale_id), None)
        segments = run_of_show(session, live_id)
    now = _sale_values(sale) if sale is not None else {}
    seg_options = [(f"{s.position + 1}. {s.title}", str(s.id)) for s in segments]
    labels = [
        ("item_id", _("秒杀商品"), ""),
        ("live_price", _("直播价"), _("例如 199")),
        ("segment_id", _("绑定环节（随环节开始和结束）"), ""),
        ("start_minute", _("开始：开播后第几分钟（不绑定环节时）"), _("例如 47")),
        ("end_minute", _("结束：第几分钟（空着 = 到直播结束）"), _("例如 55")),
        ("cap", _("限量（件，空着 = 不限）"), _("例如 50")),
        ("gift", _("前 N 名赠品"), _("例如 前20名赠《健康食谱手册》")),
    ]
    options = {"item_id": _item_options(db, live_id), "segment_id": seg_options}
    fields = [
        FieldSpec(key, label, now.get(key, ""), hint, options=options.get(key))
        for key, label, hint in labels
    ]

    def save(values: dict[str, str]) -> None:
        draft = flash_draft(values)
        with db.transaction() as session:
            if sale_id is None:
                add_flash_sale(session, live_id, draft)
            else:
                update_flash_sale(session, sale_id, draft)

    return (_("编辑秒杀") if sale else _("添加秒杀")), fields, save


def viewers_form(db: Database, live_id: int, viewers: int) -> FormSpec:
    """Update the viewer count shown by the streaming platform."""
    from tuan.domain.live.drafts import viewers_value
    from tuan.domain.live.session import set_viewers

    fields = [FieldSpec("viewers", _("现在的观看人数"), str(viewers or ""), _("例如 120"))]

    def save(values: dict[str, str]) -> None:
        count = viewers_value(values["viewers"])
        with db.transaction() as session:
            set_viewers(session, live_id, count)

    return _("更新观看人数"), fields, save


def _sale_values(sale: FlashRow) -> dict[str, str]:
    """A flash sale's fields as the form shows them."""
    from tuan.domain.shared.money import format_plain

    gift = ""
    if sale.gift_name:
        gift = _("前{n}名赠{gift}").format(n=sale.gift_count, gift=sale.gift_name)
    return {
        "item_id": str(sale.item_id),
        "live_price": format_plain(sale.live_price_cents),
        "segment_id": str(sale.segment_id or ""),
        "start_minute": str(sale.start_minute),
        "end_minute": "" if sale.end_minute is None else str(sale.end_minute),
        "cap": str(sale.cap or ""),
        "gift": gift,
    }
