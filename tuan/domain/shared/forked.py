"""Work started in a child process at launch, beside the app's own start-up.

Python runs one thread at a time: a reading in one of the app's threads (the dashboard's
numbers computed from every order: 0.3 s on the large demo, 3 s on xl) shares a core with the
first screen being drawn, and each slows the other. Forked before Textual and the ORM are
imported, a child reads on another core while the app starts and hands what it found over a
pipe, one pickled message at a time (parent and child are the same program: nothing from
elsewhere is unpickled).

Only where `os.fork` exists (Linux, macOS): elsewhere `fork` gives None and the caller reads in
its own thread, as it would without the child. Fork before any thread is started: a child of a
threaded process may find a lock held by a thread that does not exist in it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import BinaryIO

Send = Callable[[object], None]

# In a child: how many times the parent has said to go on (`Forked.resume`).
_resumes = 0


def behind_the_parent() -> None:
    """In a child: lower its priority, so its CPU goes to the app (and the terminal) first."""
    with contextlib.suppress(AttributeError, OSError):  # no `nice` (Windows), or not allowed
        os.nice(10)


def wait_for_parent(seconds: float, times: int = 1) -> bool:
    """In a child: wait until the parent has called `resume` `times` times in all (True), or
    `seconds` (False).

    For work that can come later than the parent's first frame: the two cores of a small
    machine are not independent (a busy sibling slowed the app's first frame by a fifth).
    """
    # Short sleeps, not `Event.wait(seconds)`: under a faked clock (libfaketime, as the CI's
    # second pass runs) a timed wait on a condition never ended; a sleep does.
    deadline = time.monotonic() + seconds
    while _resumes < times:
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


class Forked:
    """The parent's end: the child's messages, then its exit."""

    def __init__(self, pid: int, pipe: BinaryIO, lifeline: int) -> None:
        self.pid = pid
        self._pipe = pipe
        self._lifeline = lifeline  # the child stops when it is closed (`resume` writes to it)
        self._running = True
        self._lock = threading.Lock()

    def messages(self) -> Iterator[object]:
        """Each message in the order sent, waiting for the next (the wait releases the
        interpreter lock); ends when the child has exited, normally or not."""
        try:
            while True:
                try:
                    yield pickle.load(self._pipe)
                except (EOFError, pickle.UnpicklingError, OSError, ValueError):
                    return  # the child is done (or died mid-message: what came is kept)
        finally:
            self.close()

    def resume(self) -> None:
        """Tell the child to go on (`wait_for_parent` counts the times)."""
        with self._lock:
            if not self._running:
                return
            with contextlib.suppress(OSError):  # the child is already gone
                os.write(self._lifeline, b"r")

    def close(self) -> None:
        """Stop the child if it is still at work (the app was closed first) and reap it.

        The child goes first: a thread waiting in `messages` then reads the end of the pipe
        and lets go of it, so the pipe can be closed.
        """
        with self._lock:
            if not self._running:
                return
            self._running = False
        try:
            finished, _status = os.waitpid(self.pid, os.WNOHANG)
            if not finished:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        except (ChildProcessError, ProcessLookupError):
            pass  # already reaped
        os.close(self._lifeline)
        self._pipe.close()


def fork(work: Callable[[Send], object]) -> Forked | None:
    """Run `work(send)` in a child process; None where processes cannot be forked.

    The child's output goes nowhere (it must never draw on the leader's terminal) and it exits
    without running the parent's exit handlers, whatever `work` does. It also stops when the
    parent is gone, however it went (a closed terminal window, a kill): the parent holds the
    write end of a second pipe, which the system closes with it, and a thread of the child
    waits on the read end.
    """
    if not hasattr(os, "fork"):
        return None
    read_end, write_end = os.pipe()
    watched, lifeline = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (read_end, write_end, watched, lifeline):
            os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(lifeline)
        _child(work, read_end, write_end, watched)
    os.close(write_end)
    os.close(watched)
    return Forked(pid, os.fdopen(read_end, "rb"), lifeline)


def _child(work: Callable[[Send], object], read_end: int, write_end: int, watched: int) -> None:
    code = 1
    try:
        threading.Thread(target=_stop_with_parent, args=(watched,), daemon=True).start()
        os.close(read_end)
        nowhere = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(nowhere, fd)
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - until the child exits
        # Ctrl+C in a shell reaches the whole process group: the parent decides, not the child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with os.fdopen(write_end, "wb") as pipe:

            def send(message: object) -> None:
                pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()

            work(send)
        code = 0
    except BaseException:
        pass  # nothing may escape into a copy of the parent
    finally:
        os._exit(code)


def _stop_with_parent(watched: int) -> None:
    """In the child: ends the child once the parent's end is closed; each byte written to it
    before then is one of the parent's `resume`s."""
    global _resumes
    try:
        while os.read(watched, 1):
            _resumes += 1
    finally:
        os._exit(1)
