"""The report's growth section: cohorts, acquisition cost, KOC and UGC share, each KOC, and the
follow-on purchase the leader asked for (cells made by `growth_text`, as on screen)."""

from __future__ import annotations

from html import escape

from tuan.domain.dashboard.acquisition import channel_label
from tuan.domain.dashboard.follow_on import FollowOn, describe
from tuan.domain.dashboard.growth import GROWTH_DEFINITIONS, GrowthFacts
from tuan.domain.dashboard.growth_text import (
    cohort_cells,
    cohort_headers,
    cost_cells,
    cost_headers,
    koc_headers,
    share_line,
)
from tuan.domain.shared.money import format_money
from tuan.i18n import _


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def growth_section(facts: GrowthFacts, follow: FollowOn | None = None) -> str:
    """The section's HTML."""
    parts = [f"<h2>{escape(_('增长'))}</h2>"]
    if follow is not None:
        parts.append(f"<h3>{escape(_('连带复购'))}</h3><p>{escape(describe(follow))}</p>")
    parts.append(f"<h3>{escape(_('同期群'))}</h3>")
    parts.append(_table(cohort_headers(), [cohort_cells(c) for c in facts.cohorts]))
    parts.append(f"<h3>{escape(_('获客成本'))}</h3>")
    months = facts.costs[0].months if facts.costs else []
    rows = []
    for m_index, month in enumerate(months):
        for cost in facts.costs:
            label = f"{month.month} {channel_label(cost.channel)}"
            rows.append(cost_cells(label, cost.months[m_index]))
    rows += [cost_cells(_("合计 {channel}").format(channel=channel_label(c.channel)), c.total)
             for c in facts.costs]  # fmt: skip
    parts.append(_table(cost_headers(), rows))
    wom = facts.word_of_mouth
    parts.append(f"<h3>{escape(_('KOC 和 UGC 带新'))}</h3><p>{escape(share_line(wom))}</p>")
    parts.append(
        _table(
            koc_headers(),
            [[k.nickname, str(k.new_members), format_money(k.sales_cents)] for k in wom.kocs],
        )
    )
    return "".join(parts)


def growth_definitions() -> str:
    """The growth definitions as list items."""
    return "".join(f"<li>{escape(_(text))}</li>" for text in GROWTH_DEFINITIONS.values())
