"""The footer keeps its key widgets when only a key's state changes."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget

from tests.helpers import settle
from tuan.tui.shared.steady_footer import SteadyFooter


class _Keys(App[None]):
    BINDINGS = [Binding("u", "undo", "撤销"), Binding("x", "other", "别的")]
    can_undo = False

    def compose(self) -> ComposeResult:
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (self.can_undo or None) if action == "undo" else True

    def action_undo(self) -> None:
        """Undo."""

    def action_other(self) -> None:
        """Other."""


def _undo(app: App[None]) -> Widget:
    keys = app.screen.query_one(SteadyFooter).walk_children(Widget)
    return next(w for w in keys if getattr(w, "action", "") == "undo")


async def test_a_key_that_becomes_possible_is_restyled_not_rebuilt() -> None:
    app = _Keys()
    async with app.run_test() as pilot:
        await settle(app, pilot)
        undo = _undo(app)
        assert undo.has_class("-disabled"), "shown dimmed while nothing can be undone"
        app.can_undo = True
        app.refresh_bindings()
        await settle(app, pilot)
        assert _undo(app) is undo, "the same key widget"
        assert not undo.has_class("-disabled")
        app.can_undo = False
        app.refresh_bindings()
        await settle(app, pilot)
        assert _undo(app).has_class("-disabled")
