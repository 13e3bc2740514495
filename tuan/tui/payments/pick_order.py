"""Picking what a bill row pays: the likely orders first, or "record nothing for this row".

Returns the chosen order ids (an empty tuple: record nothing), or None when backed out.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings

NOTHING = "nothing"


class PickOrderScreen(TranslatedBindings, ModalScreen[tuple[int, ...] | None]):
    """Choose the orders one bill row pays."""

    DEFAULT_CSS = """
    PickOrderScreen { align: center middle; }
    PickOrderScreen > Vertical {
        width: 96; height: auto; max-height: 80%; border: thick $primary; background: $surface;
        padding: 0 1;
    }
    PickOrderScreen #pick-order-heading { text-style: bold; color: $accent; }
    PickOrderScreen #pick-order-hint { color: $text-muted; }
    PickOrderScreen OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("取消"), id="pick_order.cancel")]

    def __init__(self, line: str, options: list[Any], draft: Any) -> None:
        super().__init__()
        self.line = line
        self.options = options
        self.draft = draft

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("这一笔付的是哪一单？"), id="pick-order-heading")
            yield Static(self.line)
            hint = (
                _("可能是下面几单（最像的在前）；也可以不记这一笔")
                if self.options
                else _("这段时间没有未付的订单；可以不记这一笔")
            )
            yield Static(hint, id="pick-order-hint")
            choices = [
                Option(self._label(option), id=str(n)) for n, option in enumerate(self.options)
            ]
            choices.append(Option(_("不记这一笔"), id=NOTHING))
            yield OptionList(*choices, id="pick-order-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def _label(self, option: Any) -> str:
        from tuan.domain.shared.money import format_money

        parts = []
        for allocation in option.allocations:
            order = self.draft.orders.get(allocation.order_id)
            if order is None:
                continue
            parts.append(
                _("{label} {items} 欠 {owed}").format(
                    label=order.label, items=order.items, owed=format_money(order.owed_cents)
                )
            )
        return _("{text}（{note}）").format(text=_("；").join(parts), note=option.why)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == NOTHING:
            self.dismiss(())
            return
        self.dismiss(self.options[int(event.option.id or 0)].order_ids)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
