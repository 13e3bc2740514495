"""The keys line: the screen's keys, dimmed when not possible, redrawn only when they change."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding

from tests.helpers import settle
from tuan.tui.shared.key_bar import KeyBar


class _Keys(App[None]):
    BINDINGS = [
        Binding("u", "undo", "撤销"),
        Binding("x", "other", "别的"),
        Binding("y", "other", "别的"),  # a second key for the same action: shown once
        Binding("z", "hidden", "不显示", show=False),
    ]
    can_undo = False
    others = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return (self.can_undo or None) if action == "undo" else True

    def action_undo(self) -> None:
        """Undo."""

    def action_other(self) -> None:
        self.others += 1

    def action_hidden(self) -> None:
        """Hidden."""


def _line(app: App[None]) -> str:
    return app.export_screenshot()


async def test_the_screens_keys_show_once_each_and_dim_while_not_possible() -> None:
    app = _Keys()
    async with app.run_test(size=(80, 5)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(KeyBar)
        shown = [(k.shown, k.description, k.enabled) for k in bar.shown_keys() if not k.right]
        assert shown == [("u", "撤销", False), ("x", "别的", True)]
        assert [k.description for k in bar.shown_keys() if k.right] == ["命令面板"]
        text = str(bar.render())
        assert text.startswith(" u 撤销  x 别的 ") and text.rstrip().endswith("命令面板")
        assert "不显示" not in text
        undo_style = bar.render().get_style_at_offset(app.console, 1)
        assert undo_style.dim, "undo is shown dimmed while nothing can be undone"
        renders = 0
        original = bar.render

        def counted() -> Text:
            nonlocal renders
            renders += 1
            return original()

        bar.render = counted  # type: ignore[method-assign]
        app.refresh_bindings()
        await settle(app, pilot)
        assert renders == 0, "the same keys: not drawn again"
        app.can_undo = True
        app.refresh_bindings()
        await settle(app, pilot)
        assert renders == 1
        assert [k.enabled for k in bar.shown_keys() if k.action == "undo"] == [True]
        assert not original().get_style_at_offset(app.console, 1).dim


async def test_clicking_a_key_presses_it_and_a_dimmed_one_does_nothing() -> None:
    app = _Keys()
    async with app.run_test(size=(80, 5)) as pilot:
        await settle(app, pilot)
        bar = app.screen.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(9, 0))  # on "别的"
        await settle(app, pilot)
        assert app.others == 1
        await pilot.click(KeyBar, offset=(2, 0))  # on the dimmed "撤销"
        await pilot.click(KeyBar, offset=(40, 0))  # between the keys and the palette's
        await settle(app, pilot)
        assert app.others == 1
        assert bar.shown_keys()[0].action == "undo"
