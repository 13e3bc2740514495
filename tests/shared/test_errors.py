"""One base for every domain error: the field it is about, a stable code, words made when shown.

And the statuses and kinds as enums: the same text in the database whatever the code compares.
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

import tuan.domain
from tests.helpers import settle
from tuan.db import Database, open_database
from tuan.domain.chains.edit import ChainForm, ChainFormError, ItemForm, validate_chain_form
from tuan.domain.shared import states
from tuan.domain.shared.errors import DomainError, Message, Reason, code_of
from tuan.domain.shared.money import MoneyError, parse_money
from tuan.i18n import N_, _, set_language
from tuan.models import Chain, Livestream, Member, Order, Reminder, TagRule


def _domain_modules() -> Iterator[object]:
    for info in pkgutil.walk_packages(tuan.domain.__path__, prefix="tuan.domain."):
        yield importlib.import_module(info.name)


def _domain_errors() -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    for module in _domain_modules():
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__.startswith("tuan.domain."):
                found.add(value)
    return found


@pytest.fixture
def in_english() -> Iterator[None]:
    set_language("en")
    try:
        yield
    finally:
        set_language("zh")


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- one base ----------------------------------------------------------------------------------


def test_every_domain_error_derives_from_domain_error() -> None:
    errors = _domain_errors()
    assert len(errors) >= 20, sorted(e.__name__ for e in errors)
    strays = sorted(
        f"{e.__module__}.{e.__name__}" for e in errors if not issubclass(e, DomainError)
    )
    assert strays == [], "derive these from tuan.domain.shared.errors.DomainError"


def test_no_two_domain_errors_share_a_name() -> None:
    by_name: dict[str, set[str]] = {}
    for error in _domain_errors():
        by_name.setdefault(error.__name__, set()).add(f"{error.__module__}.{error.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_every_domain_error_has_its_own_code() -> None:
    generic = [
        e.__name__
        for e in _domain_errors()
        if e is not DomainError and getattr(e, "code", "domain") == "domain"
    ]
    assert generic == []


@pytest.mark.parametrize(
    ("dotted", "builtin"),
    [
        ("tuan.domain.shared.money.MoneyError", ValueError),
        ("tuan.domain.shared.people.MemberNotFound", LookupError),
        ("tuan.domain.shared.fonts.FontError", RuntimeError),
        ("tuan.domain.chains.export.ChainExportError", LookupError),
        ("tuan.domain.chains.import_draft.UnknownChainError", LookupError),
        ("tuan.domain.pickup.export_data.ExportError", ValueError),
        ("tuan.domain.partners.posters.PartnerNotFound", LookupError),
        ("tuan.domain.partners.poster_render.PrintError", RuntimeError),
        ("tuan.domain.live.errors.LiveError", ValueError),
    ],
)
def test_errors_keep_the_builtin_base_callers_catch(dotted: str, builtin: type) -> None:
    module, _dot, name = dotted.rpartition(".")
    error = getattr(importlib.import_module(module), name)
    assert issubclass(error, DomainError) and issubclass(error, builtin)


# --- field and code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "price.empty"),
        ("-5", "price.negative"),
        ("abc", "price.malformed"),
        ("1.999", "price.decimals"),
        ("99999999999", "price.too_large"),
    ],
)
def test_a_refused_price_says_its_field_and_code(typed: str, code: str) -> None:
    with pytest.raises(MoneyError) as refused:
        parse_money(typed)
    assert (refused.value.field, refused.value.code) == ("price", code)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_chain_form_puts_a_bad_price_on_the_price_field_in_any_language(
    language: str,
) -> None:
    set_language(language)
    try:
        form = ChainForm(title="第1期", items=[ItemForm(name="套装", price="abc")])
        with pytest.raises(ChainFormError) as refused:
            validate_chain_form(form)
    finally:
        set_language("zh")
    assert list(refused.value.errors) == ["items.0.price"]
    assert refused.value.field == "items.0.price"
    assert _has_chinese(refused.value.errors["items.0.price"]) == (language == "zh")


def test_the_points_form_finds_the_field_from_the_error_not_its_words(db: Database) -> None:
    from tuan.domain.members import points as pts
    from tuan.domain.shared.people import MemberDraft, create_member

    with db.transaction() as session:
        member = create_member(session, MemberDraft(nickname="王阿姨"))
        session.flush()
        member_id = member.id or 0
    cases = [
        (lambda s: pts.record_action(s, member_id, "", 5), "reason"),
        (lambda s: pts.record_action(s, member_id, "签到", 0), "points"),
        (lambda s: pts.redeem(s, member_id, 10, "燕麦片"), "points"),
        (lambda s: pts.correct(s, member_id, 3, ""), "reason"),
        (lambda s: pts.record_action(s, member_id, "签到" * 100, 5), "reason"),
    ]
    for language in ("zh", "en"):
        set_language(language)
        try:
            for act, field in cases:
                with db.transaction() as session, pytest.raises(pts.PointsError) as refused:
                    act(session)
                assert refused.value.field == field, str(refused.value)
        finally:
            set_language("zh")


async def _chain_form_with_a_bad_price(path: Path) -> tuple[bool, bool, str]:
    from tuan.tui.app import TuanApp

    app = TuanApp(str(path))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot, rounds=4)
        await pilot.press("2")
        await settle(app, pilot, rounds=4)
        await pilot.press("n")
        await settle(app, pilot, rounds=4)
        app.screen.query_one("#title", Input).value = "第1期 冷榨油团"
        app.screen.query(".item-name").first(Input).value = "冷榨橄榄油"
        app.screen.query(".item-price").first(Input).value = "abc"
        await pilot.press("ctrl+s")
        await settle(app, pilot, rounds=4)
        assert type(app.screen).__name__ == "ChainFormScreen", "nothing saved"
        price = app.screen.query(".item-price").first(Input).has_class("-invalid")
        name = app.screen.query(".item-name").first(Input).has_class("-invalid")
        said = str(app.screen.query(".row-error").first(Static).render())
    return price, name, said


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_a_bad_price_is_shown_beside_the_price_in_either_language(
    tmp_path: Path, language: str
) -> None:
    path = tmp_path / "tuan.db"
    open_database(path).close()
    set_language(language)
    try:
        price, name, said = await _chain_form_with_a_bad_price(path)
        expected = str(
            MoneyError(N_("看不懂的金额：{text}，请输入数字，例如 199 或 19.9"), text="abc")
        )
    finally:
        set_language("zh")
    assert (price, name) == (True, False), "the price input is marked, the name is not"
    assert expected in said
    assert _has_chinese(said) == (language == "zh")


# --- words made when shown ---------------------------------------------------------------------


def test_the_words_follow_the_language_in_use_when_shown() -> None:
    with pytest.raises(MoneyError) as refused:
        parse_money("abc")
    chinese = str(refused.value)
    assert "看不懂的金额：abc" in chinese
    set_language("en")
    try:
        english = str(refused.value)
    finally:
        set_language("zh")
    assert not _has_chinese(english) and "abc" in english
    assert str(refused.value) == chinese


def test_nested_words_are_made_in_the_same_language() -> None:
    from tuan.domain.partners.posters import PosterDraft, PosterError, check_draft

    with pytest.raises(PosterError) as refused:
        check_draft(PosterDraft(headline="扫码" * 30, qr_payload="https://example.com"))
    assert refused.value.field == "headline" and "标题太长" in str(refused.value)
    set_language("en")
    try:
        english = str(refused.value)
    finally:
        set_language("zh")
    assert not _has_chinese(english), english


def test_a_message_is_made_from_its_msgid_and_values(in_english: None) -> None:
    message = Message(N_("找不到接龙 {id}"), id=7)
    assert str(message) == _("找不到接龙 {id}").format(id=7)
    assert "7" in str(message) and not _has_chinese(str(message))
    error = DomainError(message, "chain", code="chain.not_found")
    assert (str(error), error.field, error.code) == (str(message), "chain", "chain.not_found")


def test_a_reason_is_its_text_with_a_code() -> None:
    reason = Reason("数量为 0", "qty.zero")
    assert reason == "数量为 0" and json.dumps([reason]) == json.dumps(["数量为 0"])
    assert (code_of(reason), code_of("数量为 0")) == ("qty.zero", "")


# --- statuses and kinds ------------------------------------------------------------------------

ENUM_COLUMNS = [
    (states.ChainStatus, Chain, "status"),
    (states.OrderStatus, Order, "status"),
    (states.OrderChannel, Order, "channel"),
    (states.LiveStatus, Livestream, "status"),
    (states.MemberSource, Member, "source"),
    (states.ReminderKind, Reminder, "kind"),
    (states.ReminderStatus, Reminder, "status"),
    (states.TagRuleKind, TagRule, "kind"),
]


Stored = Chain | Order | Livestream | Member | Reminder | TagRule


def _row(model: type[Stored], column: str, value: str, ids: dict[str, int]) -> Stored:
    given: dict[str, Any] = {column: value}
    if model is Chain:
        return Chain(title="t", **given)
    if model is Order:
        return Order(chain_id=ids["chain"], member_id=ids["member"], seq=ids["seq"], **given)
    if model is Livestream:
        return Livestream(theme="t", **given)
    if model is Member:
        return Member(nickname=f"m{ids['seq']}", **given)
    if model is Reminder:
        return Reminder(due_on=date(2026, 11, 27), title="t", **given)
    return TagRule(kind=value, tag_name=f"t{ids['seq']}")


@pytest.mark.parametrize(("enum", "model", "column"), ENUM_COLUMNS)
def test_each_status_and_kind_round_trips_through_the_database(
    db: Database, enum: type[StrEnum], model: type[Stored], column: str
) -> None:
    with db.transaction() as session:
        chain, member = Chain(title="c"), Member(nickname="m")
        session.add_all([chain, member])
        session.flush()
        ids = {"chain": chain.id or 0, "member": member.id or 0, "seq": 0}
        made = []
        for n, value in enumerate(enum, start=1):
            ids["seq"] = n
            row = _row(model, column, value, ids)
            session.add(row)
            session.flush()
            made.append((row.id, value))
    table = model.__tablename__
    with db.session() as session:
        for row_id, value in made:
            stored = session.get(model, row_id)
            read = getattr(stored, column)
            assert read == value and enum(read) is value
            raw = (
                session.connection()
                .exec_driver_sql(f"SELECT {column} FROM {table} WHERE id = {row_id}")
                .scalar()
            )
            assert raw == value.value and type(raw) is str
            assert json.dumps({column: value}) == json.dumps({column: value.value})


def test_enum_values_are_the_stored_words() -> None:
    assert [s.value for s in states.ChainStatus] == ["draft", "open", "closed", "done"]
    assert [s.value for s in states.OrderStatus] == ["active", "cancelled"]
    assert f"{states.LiveStatus.ENDED}" == "ended" == str(states.LiveStatus.ENDED)
