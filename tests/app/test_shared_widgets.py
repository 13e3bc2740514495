"""The shared interface pieces on their own: the form base and the clipboard action."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.helpers import notes, settle
from tuan.domain.shared.errors import DomainError
from tuan.tui.shared.clipboard import copy_text
from tuan.tui.shared.form import FormScreen, ProblemLine, Problems


class PriceForm(FormScreen[int | None]):
    """A name and a price; the price must be a whole number of yuan."""

    TITLE_TEXT = "价格"

    def __init__(self, saved: list[tuple[str, int]]) -> None:
        super().__init__()
        self.saved = saved

    def compose_fields(self) -> ComposeResult:
        yield from self.field("name", "名称", Input(compact=True))
        yield from self.field("price", "价格", Input(compact=True))

    def save(self) -> None:
        self.save_in_thread(self._write, self.value("name"), self.value("price"))

    def _write(self, name: str, price: str) -> int:
        if not name.strip():
            raise Problems({"name": "名称不能为空"}, {"price": "价格没有检查"})
        if not price.isdigit():
            raise DomainError("看不懂的金额：{text}", "price", text=price)
        self.saved.append((name, int(price)))
        return int(price)


class FormApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.saved: list[tuple[str, int]] = []
        self.results: list[int | None] = []

    def on_mount(self) -> None:
        self.push_screen(PriceForm(self.saved), self.results.append)


async def _type(pilot: Any, selector: str, text: str) -> None:
    pilot.app.screen.query_one(selector, Input).value = text
    await pilot.press("ctrl+s")
    await settle(pilot.app, pilot, rounds=2)  # the reply from the worker, then the dismissal


def _problem(app: App[Any], name: str) -> str:
    line = app.screen.query_one(f"#p-{name}", ProblemLine)
    return str(line.render()) if line.display else ""


async def test_a_refused_save_shows_the_reason_beside_its_field_and_saves_nothing() -> None:
    app = FormApp()
    async with app.run_test(message_hook=notes(app)) as pilot:
        await pilot.pause()
        app.screen.query_one("#f-name", Input).value = "橄榄油"
        await _type(pilot, "#f-price", "12元x")

        assert isinstance(app.screen, PriceForm), "a refused form stays open"
        assert _problem(app, "price") == "看不懂的金额：12元x"
        assert _problem(app, "name") == ""
        assert app.screen.query_one("#f-price", Input).value == "12元x", "what was typed stays"
        assert app.screen.focused is app.screen.query_one("#f-price")
        assert notes(app).errors() == ["看不懂的金额：12元x"]
        assert app.saved == [] and app.results == []

        await _type(pilot, "#f-price", "12")
        assert app.saved == [("橄榄油", 12)]
        assert app.results == [12], "a good save closes the form with what it returned"


async def test_several_problems_at_once_and_esc_cancels() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await _type(pilot, "#f-name", "")
        assert _problem(app, "name") == "名称不能为空"
        assert _problem(app, "price") == "价格没有检查"
        assert app.screen.query_one("#p-price", ProblemLine).has_class("-warning")
        assert app.saved == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None] and app.saved == []


class CopyApp(App[None]):
    pass


@pytest.mark.parametrize("system", [True, False])
async def test_copying_reaches_the_terminal_and_says_whether_the_system_clipboard_too(
    monkeypatch: pytest.MonkeyPatch, system: bool
) -> None:
    import pyperclip

    copied: list[str] = []

    def fake_copy(text: str) -> None:
        if not system:
            raise pyperclip.PyperclipException("no clipboard here")
        copied.append(text)

    monkeypatch.setattr(pyperclip, "copy", fake_copy)
    app = CopyApp()
    async with app.run_test(message_hook=notes(app)) as pilot:
        reached = copy_text(app, "1. 王阿姨 3-1202 套装×1", "已复制")
        await pilot.pause()
        assert app.clipboard == "1. 王阿姨 3-1202 套装×1"
        assert reached is system
        assert copied == (["1. 王阿姨 3-1202 套装×1"] if system else [])
        assert notes(app).messages() == ["已复制"]
