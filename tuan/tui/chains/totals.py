"""A chain's items with what sold and what is left, and its GMV, as rich text for a panel.

Used beside the chains list, in the entries view and (projected with the entry being typed) in
the entry form, so the three read the same.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from tuan.i18n import _, ngettext


def items_text(items: list[Any], margins: dict[int, Any] | None = None) -> Text:
    """Each item: code, name, spec, price (original struck through), sold, left, limit, and
    with `margins` (item id → `metrics.Margin`) the gross profit of what sold."""
    from tuan.domain.dashboard.metrics import format_margin
    from tuan.domain.shared.money import format_money

    text = Text()
    for item in items:
        head = f"{item.code}. " if item.code else ""
        text.append(f"{head}{item.name} {item.spec}".rstrip() + "\n")
        if not getattr(item, "price_known", True):
            text.append("   " + _("价格待定"), style="bold yellow")
        else:
            text.append(f"   {format_money(item.price_cents)}", style="bold")
        if item.original_price_cents and item.original_price_cents > item.price_cents:
            text.append(f" {format_money(item.original_price_cents)}", style="strike dim")
        left = _("不限") if item.left is None else str(item.left)
        text.append("  " + _("已售 {sold}  剩余 {left}").format(sold=item.sold, left=left))
        if item.limit_per_person:
            text.append("  " + _("每人限{n}").format(n=item.limit_per_person), style="dim")
        text.append("\n")
        if margins is not None and item.id in margins and getattr(item, "price_known", True):
            text.append("   " + format_margin(margins[item.id]) + "\n", style="dim")
    return text


def margin_text(margin: Any, *, unpriced_sold: bool = False) -> Text:
    """A chain's gross profit line (`毛利 ¥1,234（毛利率 32%…）`); with `unpriced_sold`, it says
    the pieces sold at a price not set yet are left out (they hold 0 cents until it is)."""
    from tuan.domain.dashboard.metrics import format_margin

    if unpriced_sold and not margin.gmv_cents:
        return Text(_("毛利 （价格待定，填好价格后才能算）"), style="bold")
    text = Text(format_margin(margin), style="bold")
    if unpriced_sold:
        text.append("  " + _("不含价格待定的商品"), style="yellow")
    return text


def totals_text(totals: list[Any], gmv_cents: int, *, entries: int | None = None) -> Text:
    """`本单`/sold/left per item and the GMV; an item this entry oversells shows in red."""
    from tuan.domain.shared.money import format_money

    text = Text()
    for total in totals:
        item = total.item
        left = _("不限") if total.left is None else str(total.left)
        style = "bold red" if total.left is not None and total.left < 0 else ""
        name = f"{item.code}. {item.name}" if item.code else item.name
        text.append(name + "\n")
        line = "   " + _("已售 {sold}  剩余 {left}").format(sold=total.sold, left=left)
        if total.wanted:
            line += "  " + _("本单 {n}").format(n=total.wanted)
        text.append(line + "\n", style=style)
    text.append(_("成交额 {gmv}").format(gmv=format_money(gmv_cents)), style="bold")
    from tuan.domain.chains.listing import sold_unpriced

    if sold_unpriced(totals):
        text.append("  " + _("不含价格待定的商品"), style="yellow")
    if entries is not None:
        text.append("  " + ngettext("{n} 单", "{n} 单", entries).format(n=entries))
    return text


class ChainTotals(Static):
    """A panel with a chain's items, sold, left and GMV."""

    DEFAULT_CSS = """
    ChainTotals { border: round $primary-darken-1; padding: 0 1; height: auto; }
    """

    def show_totals(
        self, totals: list[Any], gmv_cents: int, entries: int | None = None, margin: Any = None
    ) -> None:
        """Show these totals (and, given a `metrics.Margin`, the gross profit under them)."""
        text = totals_text(totals, gmv_cents, entries=entries)
        if margin is not None:
            from tuan.domain.chains.listing import sold_unpriced

            text.append("\n")
            text.append_text(margin_text(margin, unpriced_sold=sold_unpriced(totals)))
        self.update(text)
