"""The cyclic collector's full passes run while the leader is not typing, never inside a frame.

Python's collector now and then walks every object it tracks (a full pass over the oldest
generation). With Textual, the ORM and a few areas built that is 10-25 ms holding the
interpreter, and it comes whenever allocations happen to tip it over. Traced on the large demo:
inside the first frame of an area opened in the first seconds (19 ms of its 55), just before the
first screen (11 ms), and in the worker importing the ORM (23 ms) while the dashboard was being
drawn. Here the young generations (about a millisecond each) still run on their own; the full
pass runs from the app's timer, once no key has come for a moment, so garbage in cycles is
still freed within `EVERY` seconds of quiet.
"""

from __future__ import annotations

import gc

EVERY = 20.0  # seconds between full passes, at most
QUIET = 1.0  # seconds without a key before one runs
_NEVER = 1 << 30  # young collections before a full pass: never, in practice


def hold() -> tuple[int, int, int]:
    """Leave full passes to `collect` from now on; the thresholds before, to `release`."""
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], _NEVER)
    return before


def release(before: tuple[int, int, int]) -> None:
    """Full passes come on their own again (the app has closed: tests go on in the process)."""
    gc.set_threshold(*before)
