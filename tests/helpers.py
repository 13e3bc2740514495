"""Helpers for driving the app in tests, through Textual's public API only.

- `settle`: let the app finish what a key press started (its workers, then the messages they post).
- `wait_for_workers`: wait for the app's workers; one a newer load replaced is no failure.
- `until`: pause until something shows (a screen built in a worker, a footer composed later).
- `notes`: every notification an app raised, collected by `run_test(message_hook=...)`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify, SeverityLevel
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerState


async def wait_for_workers(app: App[Any]) -> None:
    """Wait until every started worker of `app` has finished; re-raise real failures.

    An exclusive worker replaced by a newer one is cancelled (`WorkerCancelled`); that says nothing
    about the app's behaviour, so it is not an error here. Any other failure is raised.
    """
    started = [worker for worker in app.workers if worker.state is not WorkerState.PENDING]
    results = await asyncio.gather(*(worker.wait() for worker in started), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(
            result, WorkerCancelled | asyncio.CancelledError
        ):
            raise result


async def settle(app: App[Any], pilot: Pilot[Any], rounds: int = 3) -> None:
    """Wait for the workers, then for the app to go idle; `rounds` times, as work leads to work."""
    for _ in range(rounds):
        await wait_for_workers(app)
        await pilot.pause()


async def until(pilot: Pilot[Any], shown: Callable[[], bool], seconds: float = 5.0) -> None:
    """Pause until `shown()` holds: what a loaded machine draws a few frames later still counts."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not shown():
        if loop.time() > deadline:
            raise AssertionError(f"not shown within {seconds} s")
        await pilot.pause(0.02)


class Notes:
    """The notifications one app raised, in order; a `run_test` message hook.

    `App.notify` posts a `Notify` message to the app; `run_test(message_hook=...)` sees every
    message as it is dispatched, so nothing is missed from startup on and nothing expires.
    """

    def __init__(self) -> None:
        self.raised: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.raised.append(message.notification)

    def messages(self, severity: SeverityLevel | None = None) -> list[str]:
        return [n.message for n in self.raised if severity is None or n.severity == severity]

    def errors(self) -> list[str]:
        return self.messages("error")

    def clear(self) -> None:
        self.raised.clear()


_NOTES: WeakKeyDictionary[App[Any], Notes] = WeakKeyDictionary()


def notes(app: App[Any]) -> Notes:
    """The notification log of `app` (the same one each call).

    Pass it as the hook when starting the app, so it sees every notification:
    `async with app.run_test(message_hook=notes(app)) as pilot:`
    """
    if app not in _NOTES:
        _NOTES[app] = Notes()
    return _NOTES[app]


def _before_fetch(monkeypatch: Any, screen: type[Any], before: Callable[[], object]) -> None:
    """Run `before()` at the start of each of `screen`'s readings (`fetch`, in their worker)."""
    fetch = screen.fetch

    def wrapped(self: Any) -> object:
        before()
        return fetch(self)

    monkeypatch.setattr(screen, "fetch", wrapped)


def hold_fetch(monkeypatch: Any, screen: type[Any]) -> threading.Event:
    """Hold `screen`'s readings until the event is set (10 s at most): what shows meanwhile
    came from elsewhere (a snapshot, the quick numbers)."""
    release = threading.Event()
    _before_fetch(monkeypatch, screen, lambda: release.wait(10))
    return release


def count_fetch(monkeypatch: Any, screen: type[Any]) -> list[int]:
    """Count `screen`'s readings: one entry per reading made from now on."""
    calls: list[int] = []
    _before_fetch(monkeypatch, screen, lambda: calls.append(1))
    return calls
