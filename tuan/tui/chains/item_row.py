"""One product row of the chain form: code, name, spec, price, original price, limit, stock,
short names, cost price, 拼团 team size and team price, with its problems shown right under it,
and a warning (saved anyway) when the price is below the cost price or the team price is not
below the price."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from tuan.i18n import N_, NP_, _, pgettext

#: (field, header label, placeholder, width) of each input, in order.
ITEM_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("code", N_("编号"), "A", "5"),
    ("name", N_("商品名"), NP_("placeholder", "冷榨橄榄油"), "2fr"),
    ("spec", N_("规格"), "500ml", "1fr"),
    ("price", N_("价格"), "89", "8"),
    ("original", N_("原价"), "128", "8"),
    ("limit", N_("限购"), NP_("placeholder", "不限"), "6"),
    ("stock", N_("库存"), NP_("placeholder", "不限"), "7"),
    ("aliases", N_("简称（空格分隔）"), NP_("placeholder", "橄榄油 橄榄"), "2fr"),
    ("cost", N_("成本价"), NP_("placeholder", "选填"), "8"),  # the leader's own, not posted
    # 拼团: both blank for an item not sold in teams
    ("team_size", N_("成团人数"), NP_("placeholder", "不拼"), "8"),
    ("team_price", N_("团购价"), NP_("placeholder", "选填"), "8"),
)


class ItemHeader(Horizontal):
    """Column labels above the product rows."""

    DEFAULT_CSS = """
    ItemHeader { height: 1; color: $text-muted; }
    ItemHeader > Static { padding: 0; margin: 0 1 0 0; }
    """

    def compose(self) -> ComposeResult:
        for name, label, _placeholder, width in ITEM_FIELDS:
            cell = Static(_(label), classes=f"item-head-{name}")
            cell.styles.width = width
            yield cell


class ChainItemRow(Vertical):
    """Inputs for one product; `values()` gives what was typed, keyed by field."""

    DEFAULT_CSS = """
    ChainItemRow { height: auto; }
    ChainItemRow > Horizontal { height: 1; }
    ChainItemRow Input { margin: 0 1 0 0; }
    ChainItemRow .row-error { color: $error; height: auto; padding: 0 1; }
    ChainItemRow .row-error.-empty { display: none; }
    ChainItemRow .row-warning { color: $warning; height: auto; padding: 0 1; }
    ChainItemRow .row-warning.-empty { display: none; }
    """

    def __init__(self, values: dict[str, str] | None = None, item_id: int | None = None) -> None:
        super().__init__()
        self.item_id = item_id
        self.initial = values or {}

    def compose(self) -> ComposeResult:
        with Horizontal():
            for name, _label, placeholder, width in ITEM_FIELDS:
                box = Input(
                    self.initial.get(name, ""),
                    placeholder=pgettext("placeholder", placeholder),
                    compact=True,
                    classes=f"item-{name}",
                    select_on_focus=False,
                )
                box.styles.width = width
                yield box
        yield Static("", classes="row-error -empty")
        yield Static("", classes="row-warning -empty")

    def on_mount(self) -> None:
        self.show_warnings()

    def on_input_changed(self, event: Input.Changed) -> None:
        if any(event.input.has_class(f"item-{f}") for f in ("price", "cost", "team_price")):
            self.show_warnings()

    def show_warnings(self) -> None:
        """Warn under the row, without refusing anything, when the price is below the cost."""
        from tuan.domain.chains.edit import ItemForm, item_warnings

        values = self.values()
        warnings = item_warnings(
            ItemForm(price=values["price"], cost=values["cost"], team_price=values["team_price"])
        )
        labels = {name: _(label) for name, label, *_rest in ITEM_FIELDS}
        message = _("；").join(
            _("{label}：{value}").format(label=labels.get(k, ""), value=v)
            for k, v in warnings.items()
        )
        line = self.query_one(".row-warning", Static)
        line.update(message)
        line.set_class(not message, "-empty")
        self.query_one(".item-price", Input).set_class("price" in warnings, "-warning")
        self.query_one(".item-team_price", Input).set_class("team_price" in warnings, "-warning")

    def values(self) -> dict[str, str]:
        """Field → text as typed."""
        return {name: self.query_one(f".item-{name}", Input).value for name, *_rest in ITEM_FIELDS}

    def show_errors(self, errors: dict[str, str]) -> None:
        """Mark the refused inputs and list their reasons under the row (empty: all clear)."""
        labels = {name: _(label) for name, label, *_rest in ITEM_FIELDS}
        for name, *_rest in ITEM_FIELDS:
            self.query_one(f".item-{name}", Input).set_class(name in errors, "-invalid")
        message = _("；").join(
            _("{label}：{value}").format(label=labels.get(k, ""), value=v)
            for k, v in errors.items()
        )
        line = self.query_one(".row-error", Static)
        line.update(message)
        line.set_class(not message, "-empty")

    def focus_first(self) -> None:
        """Put the cursor in the name field."""
        self.query_one(".item-name", Input).focus()
