"""Work forked at launch (tuan/forked.py): its messages reach the app, nothing else does."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tuan.domain.shared.forked import Forked, Send, fork, wait_for_parent


def _forked(work: object) -> Forked:
    child = fork(work)  # type: ignore[arg-type]
    assert child is not None, "Linux forks"
    return child


def test_messages_arrive_in_order_and_end_with_the_child() -> None:
    def work(send: Send) -> None:
        send(("numbers", [1, 2, 3]))
        send({"2026-11": "ledger"})

    child = _forked(work)
    assert list(child.messages()) == [("numbers", [1, 2, 3]), {"2026-11": "ledger"}]
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # reaped: no zombie left behind


def test_a_child_that_fails_gives_what_it_sent_and_prints_nothing(
    capfd: pytest.CaptureFixture[str],
) -> None:
    def work(send: Send) -> None:
        send("first")
        print("noise on the leader's terminal")
        raise RuntimeError("broken")

    assert list(_forked(work).messages()) == ["first"]
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_a_child_waits_for_the_parent_to_resume_it_or_gives_up() -> None:
    def work(send: Send) -> None:
        send("first")
        send(wait_for_parent(0.5))  # not resumed: gives up
        send(wait_for_parent(30))  # resumed below
        send(wait_for_parent(0.5, times=2))  # resumed once only: gives up
        send(wait_for_parent(30, times=2))  # resumed again below

    child = _forked(work)
    got = child.messages()
    assert next(got) == "first"
    started = time.monotonic()
    assert next(got) is False and time.monotonic() - started >= 0.4
    child.resume()
    started = time.monotonic()
    assert next(got) is True and time.monotonic() - started < 10
    assert next(got) is False, "the second wait needs a second resume"
    child.resume()
    assert next(got) is True
    assert list(got) == []
    child.resume()  # after the end: nothing to tell, no error


def test_closing_stops_a_child_still_at_work_and_lets_a_waiting_thread_go() -> None:
    def work(send: Send) -> None:
        send("started")
        time.sleep(60)
        send("never")

    child = _forked(work)
    got: list[object] = []
    waiting = threading.Thread(target=lambda: got.extend(child.messages()))
    waiting.start()
    deadline = time.monotonic() + 10
    while not got and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    child.close()
    waiting.join(5)
    assert not waiting.is_alive() and got == ["started"]
    assert time.monotonic() - started < 2
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)  # gone, and reaped


def test_a_child_stops_when_its_parent_is_gone(tmp_path: Path) -> None:
    """The app's process killed (a terminal window closed): its child does not read on."""
    script = (
        "import os, sys, time\n"
        "from tuan.domain.shared.forked import fork\n"
        "child = fork(lambda send: time.sleep(60))\n"
        "print(child.pid, flush=True)\n"
        "os._exit(0)  # no clean-up: as if killed\n"
    )
    parent = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=30
    )
    pid = int(parent.stdout.strip())
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the orphaned child stopped"


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for whoever adopted it to reap it is not)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\\nState:\\tZ" not in status
