"""Work forked at launch (tuan/forked.py): its messages reach the app, nothing else does."""

from __future__ import annotations

import os
import threading
import time

import pytest

from tuan.domain.shared.forked import Forked, Send, fork


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
