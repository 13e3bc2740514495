"""The growth figures in words and table cells, the same on the dashboard, in `tuan stats` and
in the report (`—` wherever there is nothing to divide by)."""

from __future__ import annotations

from tuan.domain.dashboard.acquisition import ChannelMonth, channel_label, format_cost
from tuan.domain.dashboard.cohorts import OFFSETS, Cohort
from tuan.domain.dashboard.growth import GrowthFacts
from tuan.domain.dashboard.word_of_mouth import WordOfMouth
from tuan.domain.shared.money import format_money
from tuan.domain.shared.width import pad
from tuan.i18n import _


def rate(value: float | None) -> str:
    """`78%`, or `—`."""
    return "—" if value is None else f"{value:.0%}"


def cohort_headers() -> list[str]:
    """The cohort table's columns."""
    return [_("首单月份"), _("人数"), *(_("{k} 个月后").format(k=k) for k in OFFSETS)]


def cohort_cells(cohort: Cohort) -> list[str]:
    """One cohort's row: month, size, then each share (with its count) or `—`."""
    cells = [cohort.month, str(cohort.size)]
    for k in OFFSETS:
        kept = cohort.retained.get(k)
        cells.append("—" if kept is None or not cohort.size else f"{rate(cohort.share(k))} {kept}")
    return cells


def cost_headers() -> list[str]:
    """The acquisition cost table's columns."""
    return [_("渠道"), _("投入"), _("新团员"), _("获客成本")]


def cost_cells(label: str, m: ChannelMonth) -> list[str]:
    """Spend, new members and cost per new member (`—` without new members)."""
    return [label, format_money(m.spend_cents), str(m.new_members), format_cost(m.cost_cents)]


def share_line(wom: WordOfMouth) -> str:
    """`KOC 和 UGC 带新占比（2026-01 至 2026-12）：32%（87/275，KOC 26，UGC 61）`."""
    line = _(
        "KOC 和 UGC 带新占比（{first} 至 {last}）：{rate}（{n}/{total}，KOC {koc}，UGC {ugc}）"
    )
    return line.format(
        first=wom.first, last=wom.last, rate=rate(wom.share), n=wom.koc_new + wom.ugc_new,
        total=wom.new_members, koc=wom.koc_new, ugc=wom.ugc_new,
    )  # fmt: skip


def koc_headers() -> list[str]:
    """The KOC table's columns."""
    return [_("KOC"), _("带来新团员"), _("他们的消费")]


def _row(cells: list[str], widths: list[int]) -> str:
    return "  ".join(pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()


def growth_lines(facts: GrowthFacts) -> list[str]:
    """The growth figures as plain lines (`tuan stats`)."""
    lines = ["", _("同期群（按首单月份，之后第 k 个月还在下单的比例和人数）")]
    widths = [9, 5, 10, 10, 10, 10]
    lines.append(_row(cohort_headers(), widths))
    lines += [_row(cohort_cells(c), widths) for c in facts.cohorts]
    months = facts.costs[0].months if facts.costs else []
    span = f"{months[0].month} — {months[-1].month}" if months else ""
    lines += ["", _("获客成本（{span}）").format(span=span)]
    widths = [14, 12, 8, 10]
    lines.append(_row(cost_headers(), widths))
    for cost in facts.costs:
        lines.append(_row(cost_cells(channel_label(cost.channel), cost.total), widths))
    lines += ["", share_line(facts.word_of_mouth)]
    widths = [16, 10, 12]
    lines.append(_row(koc_headers(), widths))
    for k in facts.word_of_mouth.kocs:
        lines.append(_row([k.nickname, str(k.new_members), format_money(k.sales_cents)], widths))
    return lines
