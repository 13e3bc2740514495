"""Live mode's keys as database steps: each runs in its own transaction and says what it did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tuan.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from tuan.db import Database


def run_action(db: Database, live_id: int, what: str) -> tuple[str, bool]:
    """Run one live-mode step (`start`, `next`, `previous`, `flash`, `undo`, `end`).

    Returns:
        A message for the leader ('' to stay quiet) and whether the step succeeded.
    """
    from tuan.domain.live.shows import LiveError
    from tuan.domain.shared.orders import OrderError

    try:
        with db.transaction() as session:
            return _step(session, live_id, what), True
    except (LiveError, OrderError) as error:
        return str(error), False


def _step(session: Session, live_id: int, what: str) -> str:
    from tuan.domain.live import session as steps
    from tuan.models import ChainItem

    if what == "start":
        steps.start_live(session, live_id)
        return _("已开播")
    if what == "next":
        segment = steps.next_segment(session, live_id)
        return _("现在：{title}").format(title=segment.title)
    if what == "previous":
        segment = steps.previous_segment(session, live_id)
        return _("回到：{title}").format(title=segment.title)
    if what == "flash":
        sale, started = steps.toggle_flash(session, live_id)
        item = session.get(ChainItem, sale.item_id)
        name = item.name if item else ""
        return (_("秒杀开始：{name}") if started else _("秒杀已停止：{name}")).format(name=name)
    if what == "undo":
        order, nickname = steps.undo_last_order(session, live_id)
        return _("已撤销第 {seq} 单（{name}）").format(seq=order.seq, name=nickname)
    if what == "end":
        steps.end_live(session, live_id)
        return _("直播已结束，总结已保存")
    raise ValueError(what)
