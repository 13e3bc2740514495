"""Textual's private parts tuan relies on (`tuan/tui/shared/textual_private.py`) still behave.

Each test names what changed when it fails: an upgrade of Textual must re-check that module
before the speed-ups (and the area switches built on them) can be trusted again.
"""

from __future__ import annotations

import inspect
import re
import time
from pathlib import Path

import textual
from textual import constants
from textual.app import App, ComposeResult
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from tests.helpers import until
from tuan.tui.shared import textual_private
from tuan.tui.shared.textual_private import (
    ResumeHook,
    SteadyInput,
    keep_styles,
    lay_out_and_draw,
    mark_styles_current,
    mount_off_screen,
    overridden,
    start_update_timer,
    table_extent,
)

ROOT = Path(__file__).resolve().parents[2]


class _Shown(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Static("shown", id="text")


class _Ahead(ResumeHook, Screen[None]):
    resumed: list[bool]

    def compose(self) -> ComposeResult:
        yield Static("built ahead", id="text")

    def before_resume(self, event: ScreenResume) -> None:
        self.resumed.append(event.refresh_styles)
        keep_styles(event)


class _App(App[None]):
    def compose(self) -> ComposeResult:
        yield DataTable()


def test_the_module_names_the_textual_version_it_was_checked_with() -> None:
    # Upgrading Textual: re-check every note in textual_private.py, then update CHECKED_WITH.
    assert textual.__version__ == textual_private.CHECKED_WITH, (
        f"textual is {textual.__version__}; textual_private.py was checked with "
        f"{textual_private.CHECKED_WITH}: re-check it and this test"
    )


def test_the_private_names_still_exist_with_the_signatures_used() -> None:
    assert "parent" in inspect.signature(App._register).parameters
    assert list(inspect.signature(Screen._refresh_layout).parameters)[:2] == ["self", "size"]
    assert "refresh_styles" in inspect.signature(ScreenResume).parameters
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == [
        "self",
        "new_rows",
    ]
    for owner, name in overridden():
        assert callable(getattr(owner, name, None)), f"{owner.__name__}.{name} is gone"


def test_no_other_module_reaches_into_textual_internals() -> None:
    pattern = re.compile(
        r"\._(register|refresh_layout|compositor|css_update_count|bindings_ready|modes\b|"
        r"screen_stacks|row_label_column_width|total_row_height|update_timer)|refresh_styles"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "tuan").rglob("*.py")
        if path.name != "textual_private.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line) and not line.lstrip().startswith("#")
    ]
    assert not offenders, f"use tuan.tui.shared.textual_private instead: {offenders}"


async def test_a_screen_mounted_off_screen_is_then_shown_without_another_mount() -> None:
    app = _App()
    async with app.run_test(size=(60, 10)) as pilot:
        screen = _Ahead()
        screen.resumed = []
        mark_styles_current(screen, app)
        mount_off_screen(app, screen)
        await pilot.pause()
        assert screen.is_mounted and not screen.is_current
        assert screen.query_one("#text", Static).styles.height is not None
        lay_out_and_draw(screen, app.size)  # off screen: must neither fail nor show it
        assert app.screen is not screen
        mounts = len(screen.children)
        await app.push_screen(screen)
        await pilot.pause()
        assert app.screen is screen and len(screen.children) == mounts
        # the hook ran before Textual's own handler read the event
        assert screen.resumed, "ResumeHook.before_resume was not called on ScreenResume"


async def test_marking_styles_current_spares_the_app_wide_css_refresh() -> None:
    app = _App()
    marked = _Shown()
    app.add_mode("plain", _Shown)
    app.add_mode("marked", lambda: marked)
    async with app.run_test(size=(60, 10)) as pilot:
        reparsed: list[int] = []
        original = app.stylesheet.reparse

        def counted() -> None:
            reparsed.append(1)
            original()

        app.stylesheet.reparse = counted  # type: ignore[method-assign]
        await app.switch_mode("plain")
        await pilot.pause()
        assert reparsed, "Textual no longer refreshes CSS for a new mode: drop the marking"
        reparsed.clear()
        mark_styles_current(marked, app)
        await app.switch_mode("marked")
        await pilot.pause()
        assert app.screen is marked
        assert not reparsed, "_css_update_count no longer spares App.refresh_css()"


async def test_table_extent() -> None:
    app = _App()
    async with app.run_test(size=(60, 10)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("a", "b")
        table.add_rows([("1", "2")] * 3)
        await pilot.pause()
        labels, rows = table_extent(table)
        assert (labels, rows) == (0, 3)


async def test_an_update_timer_started_off_screen_draws_the_first_visit_at_once() -> None:
    """A screen's first frame in front waits one update interval (1 / MAX_FPS), idle, unless
    its update timer was started while it was off screen."""
    interval = 1 / constants.MAX_FPS
    app = _App()
    async with app.run_test(size=(60, 10)) as pilot:
        # The least of three visits each: on a loaded machine (the CI's four workers on two
        # cores) one visit can be late for reasons of its own.
        waited: dict[bool, float] = {False: 1.0, True: 1.0}
        for started in (False, True) * 3:
            screen = _Ahead()
            screen.resumed = []
            ticks: list[float] = []
            original = screen._on_timer_update

            def tick(original: object = original, ticks: list[float] = ticks) -> None:
                ticks.append(time.perf_counter())
                original()  # type: ignore[operator]

            # before the timer is made: it keeps the method it was given
            screen._on_timer_update = tick  # type: ignore[method-assign]
            mark_styles_current(screen, app)
            mount_off_screen(app, screen)
            await pilot.pause()
            lay_out_and_draw(screen, app.size)
            if started:
                start_update_timer(screen)
                await until(pilot, lambda ticks=ticks: bool(ticks))  # type: ignore[misc]
                assert not screen.is_current, "its tick off screen did not show it"
            ticks.clear()
            shown_at = time.perf_counter()
            await app.push_screen(screen)
            await until(pilot, lambda ticks=ticks: bool(ticks))  # type: ignore[misc]
            waited[started] = min(waited[started], ticks[0] - shown_at)
            await app.pop_screen()
        assert waited[False] >= interval * 0.9, (
            f"a screen's first tick in front came after {waited[False] * 1000:.1f} ms: Textual "
            "no longer waits an interval first; start_update_timer may be dropped"
        )
        assert waited[True] < interval, (
            f"started off screen, its first tick in front still waited {waited[True] * 1000:.1f}"
            " ms: start_update_timer no longer does what it says"
        )


class _Typing(App[None]):
    CSS = "Input { width: 20; }"

    def compose(self) -> ComposeResult:
        yield Input(id="stock")
        yield SteadyInput(id="steady")


async def test_typing_into_a_steady_input_lays_nothing_out_and_still_scrolls() -> None:
    """Stock Input: every key lays the screen out again (`Input._watch_value` sets the layout
    reactive `virtual_size`); SteadyInput: no layout, and the box still scrolls to the cursor."""
    app = _Typing()
    async with app.run_test(size=(60, 10)) as pilot:
        layouts: list[str] = []
        screen = app.screen
        original = screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            layouts.append(str(app.focused.id if app.focused else ""))
            original(*args, **kwargs)  # type: ignore[arg-type]

        screen._refresh_layout = counted  # type: ignore[method-assign]
        for box in ("stock", "steady"):
            app.query_one(f"#{box}", Input).focus()
            await pilot.pause()
            layouts.clear()
            await pilot.press(*"abcdefghijklmnopqrstuvwxyz0123456789")
            await pilot.pause()
            if box == "stock":
                assert layouts, "Textual no longer lays out on typing: SteadyInput can go"
            else:
                assert layouts == [], "SteadyInput typing laid the screen out"
        steady = app.query_one("#steady", Input)
        assert steady.value.endswith("789") and steady.scroll_x > 0, "the cursor is in view"
