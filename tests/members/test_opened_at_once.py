"""An area opened the moment the app starts: it reads once, its filters work, and the main thread
never imports the ORM on the way (a second thread importing it at the same moment failed).
"""

from __future__ import annotations

import builtins
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from textual.widgets import DataTable, Select, Static

from tests.helpers import settle
from tuan.tui.app import TuanApp
from tuan.tui.members.screen import FILTER_PROMPTS, FilterPlaceholder, MembersScreen

ORM = ("sqlalchemy", "sqlmodel", "tuan.models")


def _uses_orm(name: str, seen: dict[str, bool]) -> bool:
    """Whether importing module `name` imports the ORM (it, or a tuan module it takes from)."""
    if name in seen:
        return seen[name]
    seen[name] = False  # a cycle ends here
    module = sys.modules.get(name)
    if name.startswith(ORM) or not isinstance(module, ModuleType):
        seen[name] = name.startswith(ORM)
        return seen[name]
    for value in vars(module).values():
        if isinstance(value, ModuleType):
            source = value.__name__
            if source.startswith(name + "."):
                continue  # a package's submodules, imported (or not) on their own
        else:
            found: object = getattr(value, "__module__", None)
            source = found if isinstance(found, str) else ""
        if source == name:
            continue
        if source.startswith(ORM) or (source.startswith("tuan.") and _uses_orm(source, seen)):
            seen[name] = True
            return True
    return False


@contextmanager
def main_thread_imports() -> Iterator[list[str]]:
    """The modules the main thread asks for (imported already or not) inside the block."""
    asked: list[str] = []
    original = builtins.__import__
    main = threading.main_thread()

    def recording(name: str, globals: Any = None, locals: Any = None, fromlist: Any = (),
                  level: int = 0) -> Any:  # fmt: skip
        module = original(name, globals, locals, fromlist, level)
        if threading.current_thread() is main and level == 0:
            # `from tuan import clock` asks for `tuan.clock`, not for all of `tuan`
            subs = [f"{name}.{item}" for item in fromlist or () if f"{name}.{item}" in sys.modules]
            asked.extend(subs or [name])
        return module

    builtins.__import__ = recording
    try:
        yield asked
    finally:
        builtins.__import__ = original


def orm_imports(asked: list[str]) -> set[str]:
    """Those of `asked` that would import the ORM."""
    seen: dict[str, bool] = {}
    return {name for name in asked if name.startswith("tuan") and _uses_orm(name, seen)}


def test_the_check_knows_an_orm_module_from_a_plain_one() -> None:
    import tuan.domain.members.listing
    import tuan.domain.shared.width  # noqa: F401

    assert orm_imports(["tuan.domain.members.listing", "tuan.domain.shared.width"]) == {
        "tuan.domain.members.listing"
    }


async def test_members_opened_at_once_reads_once_and_its_filters_work(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readings: list[str] = []
    fetch_for = MembersScreen.fetch_for

    def counted(self: MembersScreen, asked: Any) -> Any:
        readings.append(asked.query)
        return fetch_for(self, asked)

    monkeypatch.setattr(MembersScreen, "fetch_for", counted)
    before_data: list[str] = []  # until its data is in, the screen imports nothing with the ORM
    show = MembersScreen.show

    def first_data(self: MembersScreen, data: Any) -> None:
        if not before_data:
            before_data.extend(asked or ["(nothing)"])
        show(self, data)

    monkeypatch.setattr(MembersScreen, "show", first_data)
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        with main_thread_imports() as asked:
            await pilot.press("5")  # at once: the dashboard is still being read
            await settle(app, pilot, rounds=4)
        screen = app.screen
        assert isinstance(screen, MembersScreen)
        assert orm_imports(before_data) == set()
        assert readings == [""], "one reading for one opening"
        assert "共 300 人" in str(screen.query_one("#member-count", Static).render())
        assert not screen.query(FilterPlaceholder), "the real filters replaced their look-alikes"
        await pilot.press("f")
        await settle(app, pilot)
        assert app.focused is screen.query_one("#filter-tag", Select)
        screen.query_one("#filter-koc", Select).value = "koc"
        await settle(app, pilot, rounds=4)
        table = screen.query_one("#member-table", DataTable)
        names = {str(table.get_row_at(i)[1]) for i in range(table.row_count)}
        assert names == {"小李", "张姐", "王阿姨", "健身达人阿杰"}


async def test_f_right_after_opening_builds_the_filters_and_focuses_them(demo_path: Path) -> None:
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("5", "f")  # before the screen's first frame is out
        await settle(app, pilot, rounds=4)
        screen = app.screen
        assert app.focused is screen.query_one("#filter-tag", Select)
        assert len(screen.query(Select)) == 4 and not screen.query(FilterPlaceholder)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#filter-source", Select)


async def test_tags_arriving_while_the_filters_are_built_reach_the_tag_filter(
    demo_path: Path,
) -> None:
    """The reading's tags can land between the Selects' mounting and their first frame: the
    tag filter then gets them once it can show them (it raised NoMatches for its overlay)."""
    app = TuanApp(str(demo_path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot, rounds=4)
        screen = app.screen
        assert isinstance(screen, MembersScreen)
        for select in list(screen.query(Select)):
            await select.remove()
        for select_id, prompt in FILTER_PROMPTS:
            await screen.query_one("#member-filters").mount(FilterPlaceholder(prompt, select_id))
        screen._filters_built = False
        tags = [("新标签甲", 9001), ("新标签乙", 9002)]
        screen.build_filters()  # not awaited: the Selects are not mounted yet
        screen._update_tag_filter(tags)
        await settle(app, pilot, rounds=3)
        select = screen.query_one("#filter-tag", Select)
        select.value = "9002"  # a value the Select does not offer is refused (raises)
        assert select.value == "9002"
