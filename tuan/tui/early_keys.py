"""Keys typed while the app starts reach it: ctrl+q and ctrl+s too.

Until Textual puts the terminal in raw mode (a few hundred milliseconds after launch), the
terminal's own flow control (IXON) takes ctrl+s and ctrl+q for itself: a ctrl+q typed at once
was lost (the leader quit, and the app came up anyway), and a ctrl+s would have stopped the
screen. Other keys wait in the terminal's buffer and reach the app. So flow control (and the
echo of what is typed) is turned off from the first moment, and the terminal's settings are put
back as they were on the way out (Textual puts back the ones it found, which are ours).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress


@contextmanager
def kept(fd: int | None = None) -> Iterator[None]:
    """Flow control off on the terminal at `fd` (stdin's) for the duration; nothing when it is
    not a terminal (a pipe, a test) or there is no termios (Windows)."""
    try:
        import termios
    except ImportError:
        yield
        return
    try:
        fd = sys.stdin.fileno() if fd is None else fd
        before = termios.tcgetattr(fd)
        mode = list(before)
        mode[0] &= ~termios.IXON
        mode[3] &= ~termios.ECHO  # nor written under the first frame, left there on the way out
        termios.tcsetattr(fd, termios.TCSANOW, mode)
    except (OSError, ValueError, termios.error):  # not a terminal, or no stdin at all
        yield
        return
    try:
        yield
    finally:
        with suppress(OSError, termios.error):  # the terminal went away
            termios.tcsetattr(fd, termios.TCSADRAIN, before)
