"""Database writes of the pickup screen, one at a time and in the order the keys were pressed.

Each mark is a small transaction run off the main thread (a busy database never freezes the
list), and because jobs run strictly in order, an undo pressed right after a mark always undoes
that mark.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.screen import Screen

Job = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class SerialWriter:
    """Runs jobs in a thread worker, in submission order; results come back on the main thread."""

    def __init__(self, screen: Screen[Any], on_error: Failed) -> None:
        self.screen = screen
        self.on_error = on_error
        self._jobs: deque[tuple[Job, Done]] = deque()
        self._lock = threading.Lock()
        self._running = False

    @property
    def busy(self) -> bool:
        """True while jobs are queued or running."""
        with self._lock:
            return self._running

    def submit(self, job: Job, done: Done) -> None:
        """Queue `job` (runs in a thread); `done(result)` then runs on the main thread."""
        with self._lock:
            self._jobs.append((job, done))
            start, self._running = not self._running, True
        if start:
            self.screen.run_worker(
                self._drain, thread=True, group="pickup-write", exit_on_error=False
            )

    def _next(self) -> tuple[Job, Done] | None:
        with self._lock:
            if not self._jobs:
                self._running = False
                return None
            return self._jobs.popleft()

    def _drain(self) -> None:
        app = self.screen.app
        while (item := self._next()) is not None:
            job, done = item
            try:
                result = job()
            except Exception as error:  # reported to the leader; the next job still runs
                app.call_from_thread(self.on_error, error)
                continue
            app.call_from_thread(done, result)
