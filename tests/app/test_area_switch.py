"""Switching areas: built ahead while the leader is idle, shown without reading again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.helpers import settle, until, wait_for_workers
from tuan import clock
from tuan.db import Database
from tuan.domain.chains.edit import ChainForm, ItemForm, save_chain
from tuan.tui.app import AREA_SCREENS, FIRST_AREA_AHEAD, TuanApp
from tuan.tui.areas import AREAS
from tuan.tui.shared.key_bar import KeyBar


async def _visit(app: TuanApp, pilot, *keys: str) -> None:
    """Press each key and let the app settle after it."""
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


def _building_ahead_at_once(path: Path, monkeypatch: pytest.MonkeyPatch) -> TuanApp:
    """The app on `path`, building areas ahead as soon as it can."""
    monkeypatch.setattr("tuan.tui.app.PREBUILD_QUIET_SECONDS", 0.05)
    monkeypatch.setattr("tuan.tui.app.PREBUILD_GAP_SECONDS", 0.05)
    app = TuanApp(str(path))
    app.PREBUILD_AFTER = 0.05
    return app


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each area read the database (its `fetch`)."""
    reads: dict[str, int] = {}
    for area in AREAS:
        module, _sep, name = area.screen.partition(":")
        cls = getattr(__import__(module, fromlist=[name]), name)
        original = cls.fetch_for if hasattr(cls, "fetch_for") else cls.fetch
        attr = "fetch_for" if hasattr(cls, "fetch_for") else "fetch"

        def counted(self, *args, _orig=original, _mode=area.mode):
            reads[_mode] = reads.get(_mode, 0) + 1
            return _orig(self, *args)

        monkeypatch.setattr(cls, attr, counted)
    return reads


async def test_areas_are_built_ahead_and_open_with_their_data_at_once(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_reads(monkeypatch)
    app = _building_ahead_at_once(demo_path, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            await wait_for_workers(app)
            if all(reads.get(a.mode) for a in AREAS):
                break
        assert app.current_mode == "dashboard", "building ahead never takes the leader elsewhere"
        assert {a.mode for a in AREAS} <= set(reads), f"not built ahead: {reads}"
        before = dict(reads)
        await pilot.press("2")
        # the chains are on screen straight after the switch, before any worker could run
        assert app.current_mode == "chains"
        assert app.screen.query_one("#chain-table", DataTable).row_count == 72
        await settle(app, pilot)
        for key in "34561":
            await pilot.press(key)
            await settle(app, pilot)
        assert reads == before, "nothing was written, so no area read the database again"


async def test_areas_are_built_in_the_first_quiet_moments_and_read_when_opened(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An area opened in the first seconds finds its screen built (widgets and styles) and only
    lays out and draws; its data is read once it is opened (a thread reading beside the
    leader's keys would slow them), or ahead once the app builds areas ahead."""
    reads = _count_reads(monkeypatch)
    monkeypatch.setattr("tuan.tui.app.IMPORT_QUIET_SECONDS", 0.05)
    monkeypatch.setattr("tuan.tui.app.PREBUILD_QUIET_SECONDS", 60.0)  # no reading ahead yet
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app._built) == len(AREAS), seconds=20)
        await settle(app, pilot)
        assert set(reads) == {"dashboard"}, f"built, not read: {reads}"
        pickup = app._built["pickup"]
        await pilot.press("4")
        assert app.screen is pickup, "the screen built ahead is the one shown"
        await settle(app, pilot)
        assert reads.get("pickup") == 1
        assert pickup.query_one("#pickup-chains", DataTable).row_count > 0, "its data shown"
        monkeypatch.setattr("tuan.tui.app.PREBUILD_QUIET_SECONDS", 0.0)
        app._prebuild_next()
        await until(pilot, lambda: all(reads.get(a.mode) for a in AREAS), seconds=20)
        await settle(app, pilot)
        before = dict(reads)
        await _visit(app, pilot, "5")
        assert app.screen.query_one("#member-table", DataTable).row_count > 0
        assert reads == before and reads["pickup"] == 1, "each area read once"


async def test_an_area_read_or_opened_while_still_mounting_reads_once_mounted(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built in a quiet moment, an area may be read ahead or opened before its widgets exist:
    it reads once they do (a reading shown before them failed: its table had no columns)."""
    from tuan.tui.shared.textual_private import mount_off_screen

    reads = _count_reads(monkeypatch)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        for mode in ("pickup", "members"):
            screen = app._area_loader(mode, AREA_SCREENS[mode])()
            screen.read_when_visited()
            mount_off_screen(app, screen)
        app._built["pickup"].read_ahead()
        app.action_area("members")
        await settle(app, pilot)
        assert app.current_mode == "members"
        assert reads.get("pickup") == 1 and reads.get("members") == 1
        assert app._built["pickup"].query_one("#pickup-chains", DataTable).row_count > 0
        assert app.screen.query(DataTable).first().row_count > 0


async def test_a_write_makes_other_areas_read_again_when_visited(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_reads(monkeypatch)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await _visit(app, pilot, "2", "1")
        chains_reads = reads["chains"]
        with app.db.transaction() as session:
            save_chain(session, ChainForm(title="新接龙", deadline="11-30 20:00",
                                          items=[ItemForm(name="鸡蛋", price="20")]))  # fmt: skip
        await _visit(app, pilot, "2")
        assert reads["chains"] == chains_reads + 1
        assert app.screen.query_one("#chain-table", DataTable).row_count == 73


async def test_countdowns_are_redrawn_as_minutes_pass_without_reading_again(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _count_reads(monkeypatch)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await _visit(app, pilot, "2")
        table = app.screen.query_one("#chain-table", DataTable)
        left_before = str(table.get_row_at(0)[4])
        await _visit(app, pilot, "1")
        clock.freeze(clock.now() + timedelta(hours=2))
        before = reads["chains"]
        await _visit(app, pilot, "2")
        assert reads["chains"] == before, "same day, nothing written: no new reading"
        assert str(table.get_row_at(0)[4]) != left_before, "the time left moved on"


async def test_footer_keys_follow_what_can_be_done(db: Database) -> None:
    app = TuanApp(db.target)
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await _visit(app, pilot, "2")
        footer = app.screen.query_one(KeyBar)

        def keys() -> set[str]:
            return {k.action for k in footer.shown_keys()}

        assert "new_chain" in keys() and "edit_chain" not in keys(), "nothing to edit yet"
        with app.db.transaction() as session:
            save_chain(session, ChainForm(title="新接龙", deadline="11-30 20:00",
                                          items=[ItemForm(name="鸡蛋", price="20")]))  # fmt: skip
        await _visit(app, pilot, "ctrl+r")
        assert "edit_chain" in keys(), "a chain to edit: its key appears"


@pytest.mark.parametrize(("key", "area", "box"), [("5", "members", "#member-search"),
                                                  ("4", "pickup", "#pickup-search")])  # fmt: skip
async def test_typing_straight_after_the_search_key_loses_nothing(
    demo_path: Path, key: str, area: str, box: str
) -> None:
    from textual import events
    from textual.widgets import Input

    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        assert app.current_mode == area
        for name, char in [("slash", "/"), ("w", "w"), ("y", "y")]:  # one burst, as typed fast
            event = events.Key(name, char)
            event.set_sender(app)
            assert app._driver is not None
            app._driver.send_message(event)
        await settle(app, pilot)
        assert app.screen.query_one(box, Input).value == "wy"


async def test_a_burst_of_keys_switches_area_and_types_into_its_search(demo_path: Path) -> None:
    from textual import events
    from textual.widgets import Input

    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        for name, char in [("5", "5"), ("slash", "/"), ("w", "w"), ("y", "y"), ("1", "1")]:
            event = events.Key(name, char)
            event.set_sender(app)
            assert app._driver is not None
            app._driver.send_message(event)
        await settle(app, pilot)
        assert app.current_mode == "members"
        assert app.screen.query_one("#member-search", Input).value == "wy1", "digits typed"


async def test_quitting_while_areas_are_built_ahead_is_quiet(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The areas are built one after the other while the leader is idle; quitting in the
    middle (the next one's timer firing as the app shuts down) must not fail a screen's set-up."""
    monkeypatch.setattr("tuan.tui.app.PREBUILD_QUIET_SECONDS", 0.01)
    monkeypatch.setattr("tuan.tui.app.PREBUILD_GAP_SECONDS", 0.01)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = 0.01
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.05)
    built = set(app._built)
    assert len(built) < 6, "quit while areas were still being built ahead"
    app._prebuild_next()  # the timer that fires once the app has stopped
    assert set(app._built) == built


@pytest.mark.parametrize("mode", [a.mode for a in AREAS])
async def test_an_area_closed_before_its_widgets_mount_sets_nothing_up(
    db: Database, mode: str
) -> None:
    """Quitting while an area is built ahead: Textual mounts nothing into a screen that is
    closing, then still sends it Mount, and each area's set-up looked its widgets up."""
    from importlib import import_module

    from textual import events

    from tuan.tui.shared.textual_private import mount_off_screen

    module, _sep, name = AREA_SCREENS[mode].partition(":")
    app = TuanApp(db.target)
    app.PREBUILD_AFTER = None  # only the screens built here
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = getattr(import_module(module), name)()
        await screen.on_event(events.Mount())  # never mounted: not part of the app
        mount_off_screen(app, getattr(import_module(module), name)())
        # the test ends here: the app stops while that one is being built
    assert app.return_code in (None, 0)


async def test_opening_an_area_restyles_none_of_its_widgets(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An area's styles hold when it comes in front: the first visit (Textual sends it two
    resumes) and a quick switch away and back restyle nothing; a dialog over it closes as usual."""
    from textual.screen import Screen

    from tuan.tui.shared.base import AreaScreen

    monkeypatch.setattr("tuan.tui.app.PREBUILD_QUIET_SECONDS", 0.05)
    monkeypatch.setattr("tuan.tui.app.PREBUILD_GAP_SECONDS", 0.05)
    restyled: list[str] = []
    original = Screen.update_node_styles

    def counted(self: Screen[object], animate: bool = True) -> None:
        if isinstance(self, AreaScreen):
            restyled.append(type(self).__name__)
        original(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", counted)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = 0.05
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(app._built) == len(AREAS), seconds=20)
        await settle(app, pilot)
        for key in "23456":  # first visits of areas built ahead
            restyled.clear()
            await _visit(app, pilot, key)
            assert not restyled, f"the first visit to {app.current_mode} restyled {restyled}"
        await pilot.press("1", "6")  # away and straight back: the old screen's suspend comes late
        await settle(app, pilot)
        assert app.current_mode == "partners" and not restyled
        await _visit(app, pilot, "question_mark")
        assert app.screen.is_modal
        await _visit(app, pilot, "escape")
        assert app.current_mode == "partners" and not app.screen.is_modal
        assert not app.screen._area_switch, "covered by a dialog: no longer an area switch"


async def test_the_areas_code_is_imported_ahead_while_the_leader_is_not_typing(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An area opened in the first seconds only builds its screen: its code is already loaded."""
    import sys
    import time

    modules = [a.screen.partition(":")[0] for a in AREAS]
    loaded = {name: __import__(name, fromlist=["_"]) for name in modules}
    for name in modules:  # as in a fresh process (put back as they were after the test)
        monkeypatch.delitem(sys.modules, name)
    imported: list[str] = []

    def recorded(name: str) -> object:
        imported.append(name)
        sys.modules[name] = loaded[name]
        return loaded[name]

    monkeypatch.setattr("tuan.tui.app.import_module", recorded)
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: len(imported) == len(modules))
        chains = AREA_SCREENS[FIRST_AREA_AHEAD].partition(":")[0]
        assert imported == [chains, *(m for m in modules if m != chains)], (
            "the chains' ahead of the first frame, the first screen's, then the others in the "
            "order of the keys"
        )
        assert set(app._built) == {"dashboard"}, "imported, not built: no screen was made"
        # a key pressed a moment ago: the next import waits for a quiet moment
        monkeypatch.delitem(sys.modules, modules[-1])
        app._last_key_at = time.monotonic()
        app._import_next_area()
        assert len(imported) == len(modules)
        await until(pilot, lambda: len(imported) == len(modules) + 1)


async def test_an_area_left_is_drawn_off_screen_only_once_keys_stop(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing an area off screen (its first visit made quick) holds the app 20-120 ms: never
    while the leader is pressing keys, when the next key would wait for it."""
    import time

    drawn: list[str] = []
    monkeypatch.setattr(
        "tuan.tui.shared.base.lay_out_and_draw",
        lambda screen, size: drawn.append(type(screen).__name__),
    )
    app = TuanApp(str(demo_path))
    app.PREBUILD_AFTER = None
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await _visit(app, pilot, "2", "1")
        chains = app._built["chains"]
        drawn.clear()
        app._last_key_at = time.monotonic()  # a key just now
        chains._warm()
        assert not drawn, "drawn while the leader was pressing keys"
        await until(pilot, lambda: bool(drawn))
        assert drawn == ["ChainsScreen"] and app.quiet_for() >= 0.5


async def test_on_air_no_area_is_built_ahead_until_live_mode_is_left(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An order typed on air is answered at once: no area is built meanwhile (a build holds
    the main thread 0.2-0.5 s on a big database)."""
    from tests.live.test_snapshot import _on_air
    from tuan.tui.live.mode import LiveModeScreen

    _on_air(demo_path)
    reads = _count_reads(monkeypatch)
    app = _building_ahead_at_once(demo_path, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LiveModeScreen))
        for _ in range(20):  # a second: time enough to build every area when not on air
            await pilot.pause(0.05)
            await wait_for_workers(app)
        assert isinstance(app.screen, LiveModeScreen)
        built = {mode for mode, n in reads.items() if n}
        assert built <= {"dashboard", "live"}, f"built ahead on air: {built}"  # where it opened
        await pilot.press("escape")
        for _ in range(40):
            await pilot.pause(0.05)
            await wait_for_workers(app)
            if all(reads.get(a.mode) for a in AREAS):
                break
        assert {a.mode for a in AREAS} <= set(reads), f"not built ahead after: {reads}"


async def test_once_every_area_is_built_pinyin_is_warmed_then_the_collector_spared(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new member's initials (or an item typed by its initials) need pypinyin; its first use
    in a process took ~0.2 s after the key. The app warms it last, in a quiet moment, then
    freezes what it keeps out of the collector's way."""
    import gc

    import tuan.domain.shared.people as people

    warmed: list[str] = []
    frozen: list[int] = []  # how many times pinyin was warmed at each freeze

    def initials(text: str) -> str:
        warmed.append(text)
        return "tz"

    monkeypatch.setattr(people, "pinyin_initials", initials)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(warmed)))
    app = _building_ahead_at_once(demo_path, monkeypatch)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: bool(frozen) and frozen[-1] > 0, seconds=15)
        await wait_for_workers(app)
    assert warmed == ["团长"], "warmed once, once every area was built, then frozen"
