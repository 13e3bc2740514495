"""`tuan report`: the dashboard's numbers and charts as one self-contained HTML page.

Charts are inline SVG (no scripts, no network), so the page opens anywhere and prints well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import TypeVar

from tuan import clock
from tuan.domain.dashboard.coupon_rows import CouponMonth
from tuan.domain.dashboard.coupons import DEFINITIONS as COUPON_DEFINITIONS
from tuan.domain.dashboard.metrics import DEFINITIONS, Margin, MarginBreakdown, format_rate
from tuan.domain.shared.money import format_money
from tuan.domain.shared.rows import LiveConversion, MonthStats
from tuan.i18n import _, pgettext

_Figure = TypeVar("_Figure", bound=float)  # cents (int) or a share (float)

WIDTH, HEIGHT, PAD = 560, 200, 36

STYLE = """
body { font-family: "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
       margin: 2rem auto; max-width: 1200px; color: #1f2933; }
h1 { margin-bottom: 0; } .sub { color: #667; margin-top: .3rem; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(580px, 1fr)); gap: 1rem; }
figure { margin: 0; border: 1px solid #dde; border-radius: 8px; padding: .6rem; }
figcaption { font-weight: bold; margin-bottom: .3rem; }
svg text { font-size: 11px; fill: #556; }
table { border-collapse: collapse; margin-top: 1rem; }
td, th { border-bottom: 1px solid #eee; padding: .3rem .8rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.defs li { margin: .2rem 0; }
"""


def _points(values: Sequence[float]) -> list[tuple[float, float]]:
    top = max(values, default=0) or 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    return [
        (PAD + i * step, HEIGHT - PAD - (v / top) * (HEIGHT - 2 * PAD))
        for i, v in enumerate(values)
    ]


def line_chart(
    title: str, labels: list[str], values: Sequence[_Figure], fmt: Callable[[_Figure], str]
) -> str:
    """An SVG line chart with month labels and the last value written out."""
    points = _points(values)
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    ticks = "".join(
        f'<text x="{x:.1f}" y="{HEIGHT - 12}" text-anchor="middle">{escape(label[5:])}</text>'
        for (x, _y), label in zip(points, labels, strict=True)
    )
    dots = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#2f855a"><title>{escape(label)}: '
        f"{escape(fmt(v))}</title></circle>"
        for (x, y), label, v in zip(points, labels, values, strict=True)
    )
    last = escape(fmt(values[-1])) if values else ""
    return (
        f"<figure><figcaption>{_('{label}：{value}').format(label=escape(title), value=last)}"
        "</figcaption>"
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        f'stroke="#ccd"/><polyline fill="none" stroke="#2f855a" stroke-width="2" '
        f'points="{path}"/>{dots}{ticks}</svg></figure>'
    )


def bar_chart(
    title: str, labels: list[str], values: Sequence[_Figure], fmt: Callable[[_Figure], str]
) -> str:
    """A horizontal SVG bar chart."""
    top = max(values, default=0) or 1
    row = 26
    height = max(row * len(values) + 10, 40)
    bars = "".join(
        f'<text x="0" y="{i * row + 17}">{escape(label)}</text>'
        f'<rect x="200" y="{i * row + 5}" width="{(v / top) * (WIDTH - 290):.1f}" height="16" '
        f'fill="#805ad5"><title>{escape(fmt(v))}</title></rect>'
        f'<text x="{205 + (v / top) * (WIDTH - 290):.1f}" y="{i * row + 17}">'
        f"{escape(fmt(v))}</text>"
        for i, (label, v) in enumerate(zip(labels, values, strict=True))
    )
    return (
        f"<figure><figcaption>{escape(title)}</figcaption>"
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}">{bars}</svg></figure>'
    )


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _charts(months: list[MonthStats], lives: list[LiveConversion]) -> list[str]:
    labels = [m.month for m in months]
    partners: dict[str, int] = {}
    for month in months:
        for name, count in month.partner_new.items():
            partners[name] = partners.get(name, 0) + count
    money = format_money
    return [
        line_chart(_("每月成交额"), labels, [m.gmv_cents for m in months], money),
        line_chart(_("复购率"), labels, [m.repurchase_rate for m in months], _pct),
        line_chart(_("平均 LTV"), labels, [m.avg_ltv_cents for m in months], money),
        line_chart(_("最高 LTV"), labels, [m.top_ltv_cents for m in months], money),
        line_chart(_("裂变新客占比"), labels, [m.referral_share for m in months], _pct),
        line_chart(_("沉睡团员"), labels, [m.dormant for m in months], lambda v: str(int(v))),
        bar_chart(
            _("直播转化率"), [lv.label for lv in lives], [lv.conversion for lv in lives], _pct
        ),
        bar_chart(
            _("各合作点位带来的新团员（近12个月）"),
            list(partners),
            [float(v) for v in partners.values()],
            lambda v: str(int(v)),
        ),
    ]


def _table(months: list[MonthStats]) -> str:
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            _("月份"),
            _("成交额"),
            _("订单"),
            _("下单人数"),
            _("复购率"),
            _("平均 LTV"),
            pgettext("count", "新团员"),
            _("裂变新客占比"),
            _("沉睡团员"),
        )
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(c))}</td>"
            for c in (
                m.month,
                format_money(m.gmv_cents),
                m.orders,
                m.buyers,
                _pct(m.repurchase_rate),
                format_money(m.avg_ltv_cents),
                m.new_members,
                _pct(m.referral_share),
                m.dormant,
            )
        )
        + "</tr>"
        for m in months
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _margin_table(
    months: list[MonthStats], lives: list[LiveConversion], margins: MarginBreakdown
) -> str:
    """Gross profit per month, chain, product and livestream, with the GMV that has no cost."""
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (_("名称"), _("成交额"), _("毛利"), _("毛利率"), _("未填成本的成交额"))
    )
    named: list[tuple[str, Margin]] = [
        (m.month, margins.months.get(m.month, Margin())) for m in months
    ]
    named += [(_("接龙 {title}").format(title=c.name), c.margin) for c in margins.chains]
    named += [(_("商品 {name}").format(name=p.name), p.margin) for p in margins.products]
    named += [(lv.label, margins.lives.get(lv.id, Margin())) for lv in lives]
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(c)}</td>"
            for c in (
                name,
                format_money(m.gmv_cents),
                format_money(m.profit_cents) if m.known else "—",
                format_rate(m.margin),
                format_money(m.uncovered_cents),
            )
        )
        + "</tr>"
        for name, m in named
    )
    return (
        f"<h2>{escape(_('毛利'))}</h2>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def _coupon_table(coupons: list[CouponMonth]) -> str:
    """Coupons issued, redeemed and expired per month, their cost and redemption rate."""
    head = "".join(
        f"<th>{escape(h)}</th>"
        for h in (_("月份"), _("发券"), _("面额"), _("用券"), _("券成本"), _("过期"), _("核销率"))
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(c))}</td>"
            for c in (
                m.month,
                m.issued,
                format_money(m.issued_cents),
                m.redeemed,
                format_money(m.cost_cents),
                m.expired,
                _pct(m.redemption_rate),
            )
        )
        + "</tr>"
        for m in coupons
    )
    return (
        f"<h2>{escape(_('券'))}</h2>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def render_report(
    months: list[MonthStats],
    lives: list[LiveConversion],
    margins: MarginBreakdown | None = None,
    growth: str = "",
    growth_definitions: str = "",
    coupons: list[CouponMonth] | None = None,
) -> str:
    """The whole page (with `margins`, the gross profit table under the monthly one; `growth`
    and its definitions from `report_growth`; with `coupons`, the coupons of each month)."""
    margin_table = _margin_table(months, lives, margins) if margins is not None else ""
    margin_table += _coupon_table(coupons) if coupons else ""
    title = _("经营报告")
    period = f"{months[0].month} ~ {months[-1].month}" if months else ""
    made = clock.now().strftime("%Y-%m-%d %H:%M")
    texts = [*DEFINITIONS.values(), *(COUPON_DEFINITIONS.values() if coupons else ())]
    definitions = "".join(f"<li>{escape(_(text))}</li>" for text in texts)
    return (
        f'<!doctype html><html lang="{_("zh-CN")}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1><p class=sub>{escape(period)} · "
        f"{escape(_('生成于'))} {made}</p>"
        f'<div class="grid">{"".join(_charts(months, lives))}</div>'
        f"{_table(months)}{margin_table}{growth}"
        f"<h2>{escape(_('定义'))}</h2><ul class=defs>{definitions}{growth_definitions}</ul>"
        "</body></html>"
    )
