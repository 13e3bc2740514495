"""ctrl+q typed while the app is still starting quits it (tuan/tui/early_keys.py).

The app runs in a real pseudo-terminal: the terminal's flow control is a property of the
terminal, which Textual's headless driver never touches.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")


def _attrs(fd: int) -> list[int] | None:
    try:
        return termios.tcgetattr(fd)  # the master reads the terminal's settings (Linux)
    except termios.error:
        return None


def _drain(fd: int, seconds: float) -> bool:
    """Read what the app writes until it closes the terminal (True) or time runs out."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                if not os.read(fd, 65536):
                    return True
            except OSError:  # EIO: every process holding the terminal has gone
                return True
    return False


class Terminal:
    """`tuan` with these arguments on a new pseudo-terminal: its process and the terminal's
    master end, the process killed if still there on the way out."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "PYTHONDONTWRITEBYTECODE": "1"}
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: tuan, on the new terminal
            os.execve(sys.executable, [sys.executable, "-m", "tuan.launcher", *args], env)

    def wait(self) -> int:
        """The process's exit code, once it ends."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        return os.waitstatus_to_exitcode(status)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pid:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        os.close(self.fd)


def test_ctrl_q_typed_before_the_first_frame_quits_the_app(tmp_path: Path) -> None:
    with Terminal("--db", str(tmp_path / "new.db")) as term:
        fd = term.fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        typed = False
        end = time.monotonic() + 30
        while time.monotonic() < end and not typed:
            attrs = _attrs(fd)
            if attrs is None:
                break
            cooked = bool(attrs[3] & termios.ICANON)  # Textual has not taken the terminal yet
            if cooked and not attrs[0] & termios.IXON:
                os.write(fd, b"\x11")  # ctrl+q, as the leader types it
                typed = True
            elif not cooked:
                break  # raw mode already: the moment to type it early was never there
            select.select([fd], [], [], 0.001)
            _drain(fd, 0.001)
        assert typed, "flow control was still on until Textual took the terminal"
        assert _drain(fd, 30), "the app did not quit on the ctrl+q typed while it started"
        assert term.wait() == 0


def test_the_terminal_is_left_as_it_was_found() -> None:
    from tuan.tui.early_keys import kept

    master, slave = pty.openpty()
    try:
        before = termios.tcgetattr(slave)
        assert before[0] & termios.IXON and before[3] & termios.ECHO
        with kept(slave):
            during = termios.tcgetattr(slave)
            assert not during[0] & termios.IXON and not during[3] & termios.ECHO
        assert termios.tcgetattr(slave) == before
        read_end, write_end = os.pipe()  # not a terminal: nothing to do, nothing raised
        with kept(read_end):
            pass
        os.close(read_end)
        os.close(write_end)
    finally:
        os.close(master)
        os.close(slave)


def test_a_command_that_asks_still_shows_the_answer_typed(tmp_path: Path) -> None:
    # Only the app turns the echo off: `tuan restore` asks 用…替换…？ and the `n` typed must show.
    from tuan.db import open_database

    target, backup = tmp_path / "shop.db", tmp_path / "backup.db"
    open_database(str(target)).close()
    open_database(str(backup)).close()
    with Terminal("--db", str(target), "restore", str(backup)) as term:
        fd = term.fd
        seen = b""
        end = time.monotonic() + 30
        while time.monotonic() < end and "替换".encode() not in seen:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                seen += os.read(fd, 65536)
        assert "替换".encode() in seen, seen.decode(errors="replace")
        attrs = termios.tcgetattr(fd)
        assert attrs[3] & termios.ECHO and attrs[0] & termios.IXON
        os.write(fd, b"n\n")
        assert _drain(fd, 30)
        term.wait()
