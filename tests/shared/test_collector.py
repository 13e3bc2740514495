"""The garbage collector paused around an import step always comes back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from tuan.domain.shared.collector import collector_paused


@pytest.fixture(autouse=True)
def _collector_back_on() -> Iterator[None]:
    yield
    gc.enable()


@collector_paused()
def _step(fail: bool = False) -> bool:
    if fail:
        raise ValueError("refused")
    return gc.isenabled()


def test_paused_inside_and_back_on_after() -> None:
    assert _step() is False
    assert gc.isenabled()


def test_back_on_after_a_refusal() -> None:
    with pytest.raises(ValueError, match="refused"):
        _step(fail=True)
    assert gc.isenabled()


def test_left_off_when_it_was_off_before() -> None:
    gc.disable()
    assert _step() is False
    assert not gc.isenabled()


def test_nested_pauses_resume_only_at_the_outer_end() -> None:
    with collector_paused():
        assert _step() is False
        assert not gc.isenabled()
    assert gc.isenabled()
