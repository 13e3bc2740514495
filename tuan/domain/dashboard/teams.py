"""拼团 figures, defined once: teams formed and unfilled per month.

A team counts in the month it was opened (the leader's zone): *formed* once it filled up (and
stays counted if it is reopened by a cancellation only while it is full again); *unfilled* when
it was settled without filling (at the normal price, or cancelled); *open* while it is still
waiting for people. The dashboard shows formed and unfilled with their 12-month trend; `tuan
stats --json` has them under `teams`.
"""

from __future__ import annotations

from sqlmodel import Session, select

from tuan import clock
from tuan.domain.dashboard.quick import count_teams
from tuan.i18n import N_
from tuan.models import Team

TEAMS_DEFINITION = N_(
    "拼团：按开团的月份计，满员的团算已成团；截止后没满员、按原价或取消结算的算未成团；"
    "还在等人的算待成团。"
)


def team_months(session: Session, labels: list[str]) -> dict[str, list[int]]:
    """Month (`YYYY-MM`) → [formed, unfilled, open] for each of `labels` (zeros included)."""
    teams = session.exec(select(Team.created_at, Team.status))
    return count_teams(((f"{clock.local(at):%Y-%m}", status) for at, status in teams), labels)


def teams_as_dict(months: dict[str, list[int]]) -> list[dict[str, object]]:
    """The `teams` figure of `tuan stats --json`: one object per month, oldest first."""
    return [
        {"month": month, "formed": formed, "unfilled": unfilled, "open": waiting}
        for month, (formed, unfilled, waiting) in months.items()
    ]
