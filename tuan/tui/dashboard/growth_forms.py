"""The growth screen's two forms: the follow-on question (X, Y, N days, period) and a channel's
spend. Both run the domain in a worker; a refusal shows beside its field."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, Static

from tuan.i18n import _
from tuan.tui.shared.form import FieldSpec, SpecFormScreen

if TYPE_CHECKING:
    from tuan.db import Database
    from tuan.domain.dashboard.follow_on import FollowOn


class GrowthFields(VerticalScroll, can_focus=False):
    """The scrolling column of fields; focus goes to the fields, never to the column."""


class GrowthForm(SpecFormScreen[Any]):
    """Labels above compact fields; Enter on the last field or ctrl+s runs it, Esc cancels."""

    AUTO_FOCUS = "Input, Select"
    DEFAULT_CSS = """
    GrowthForm > Vertical {
        width: 76; max-height: 90%; height: auto; border: thick $primary;
        background: $surface; padding: 0 1;
    }
    GrowthForm GrowthFields { height: auto; max-height: 30; }
    GrowthForm .form-title { text-style: bold; padding: 0 0 1 0; }
    GrowthForm .field-label { color: $text-muted; padding-top: 1; }
    GrowthForm .field-hint { color: $text-muted; }
    GrowthForm Horizontal { height: auto; }
    GrowthForm Input, GrowthForm Select { margin: 0; background: $boost; }
    GrowthForm #form-hint { color: $text-muted; padding-top: 1; }
    """
    FIELD_ID = "field-{name}"
    PROBLEM_ID = "error-{name}"
    PROBLEM_TITLE = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.form_title, classes="form-title")
            with GrowthFields():
                yield from self.compose_specs()
            yield self.problem_line("")
            with Horizontal():
                yield Static(_("回车（最后一栏）或 ctrl+s 确定  esc 取消"), id="form-hint")


def follow_on_form(db: Database, products: list[str], last: FollowOn | None = None) -> GrowthForm:
    """Pick X, Y, N and the period; closes with the `FollowOn` answer."""
    from tuan import clock
    from tuan.domain.dashboard.follow_on import (
        DEFAULT_DAYS,
        DEFAULT_MONTHS,
        follow_on,
        months_before,
    )

    today = clock.today()
    options = [(name, name) for name in products]
    start = last.start if last else months_before(today, DEFAULT_MONTHS)
    fields = [
        FieldSpec("first", _("先买的商品 X"), last.first if last else "", options=options),
        FieldSpec("then", _("后买的商品 Y"), last.then if last else "", options=options),
        FieldSpec(
            "days",
            _("几天内（N）"),
            str(last.days if last else DEFAULT_DAYS),
            hint=_("买 X 之后多少天内又买 Y 才算"),
        ),
        FieldSpec("start", _("买 X 的期间：从"), start.isoformat(), placeholder="2026-06-01"),
        FieldSpec(
            "end", _("到"), (last.end if last else today).isoformat(), placeholder="2026-11-30"
        ),
    ]

    def run(values: dict[str, str]) -> FollowOn:
        with db.session() as session:
            return follow_on(
                session, values["first"], values["then"], values["days"], values["start"],
                values["end"],
            )  # fmt: skip

    return GrowthForm(_("连带复购：买过 X 的团员，N 天内又买 Y 的比例"), fields, run)


def spend_form(db: Database) -> GrowthForm:
    """Record a channel's spend in a month; closes with True once recorded."""
    from tuan import clock
    from tuan.domain.dashboard.acquisition import CHANNELS, channel_label, record_spend

    fields = [
        FieldSpec(
            "channel", _("渠道"), "", options=[(channel_label(c), c.value) for c in CHANNELS]
        ),
        FieldSpec("month", _("月份"), f"{clock.today():%Y-%m}", placeholder="2026-11"),
        FieldSpec(
            "amount",
            _("金额（元）"),
            "",
            placeholder="300",
            hint=_("点位费、礼品、样品等这个渠道当月花的钱"),
        ),
        FieldSpec("note", _("备注"), "", placeholder=_("例如 前台小礼品")),
    ]

    def run(values: dict[str, str]) -> bool:
        with db.transaction() as session:
            record_spend(
                session, values["channel"], values["month"], values["amount"], values["note"]
            )
        return True

    return GrowthForm(_("记录获客投入"), fields, run)
