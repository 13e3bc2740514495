"""The dashboard's first reading, done in a child process while the app starts.

What the dashboard reads first (the stored snapshot if it holds, else the quick numbers: from
the stored closed months, or every month computed when none hold) used to start once the first
frame was out, in a thread sharing the interpreter with the app. Forked at launch, before
Textual loads, it runs on the other core: with nothing stored on the large demo the numbers
took 0.6 s after the first frame; they are now read by then (`shared/forked.py` says more).

The messages, in order: `("stored", Overview)` (once the app's first frame is out) then,
when the snapshot also holds on the deep key (the whole-table counts and sums the fresh
reading would check: 0.2 s on xl, done here once the app says its first frame is out and no
key came for a moment), `("held", quick key)`; or `("numbers", Overview)` then
`("documents", {meta key: value})` when months were computed (from the first moment);
`("done", None)` last. A reading that ends without "done" failed: the dashboard runs the same
`read` in its own thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from tuan.domain.shared.forked import Forked, behind_the_parent, fork, wait_for_parent

STORED, HELD, NUMBERS, DOCUMENTS, DONE = "stored", "held", "numbers", "documents", "done"
# How long the child waits at most for each of the app's resumes (`Forked.resume`), which
# come in this order: its first frame is out; then no key came for a moment.
FIRST_FRAME_SECONDS = 2.0
FRAME_OUT, QUIET = 1, 2
Message = tuple[str, Any]


def start(path: Path | None) -> Forked | None:
    """The reading started for the SQLite file at `path`; None for no file or no fork."""
    if path is None or not path.is_file():
        return None  # a server database, or a first start: nothing to read ahead
    return fork(partial(read, path, child=True))


def messages(reading: Forked) -> Iterator[Message]:
    """The reading's messages as they come in: (kind, value)."""
    for message in reading.messages():
        if isinstance(message, tuple) and len(message) == 2:
            yield message[0], message[1]


def read(path: Path, send: Callable[[Message], object], *, child: bool = False) -> None:
    """The reading itself, each message to `send` as soon as it is known: in the child, or in
    the dashboard's thread when there is none."""
    # Imported here: a parent whose child reads does not pay for what only the child runs.
    from tuan.domain.dashboard import snapshot_key

    if child and snapshot_key.may_hold(path):
        # The snapshot is shown after the app's first frame in any case; decoding it needs the
        # dashboard's row types, 13 ms of imports that, done beside the app's own start, made
        # its first screen 5% later (two cores that are not independent). Checking the key
        # first costs 3 ms. Without a snapshot that holds, the numbers are computed at once.
        wait_for_parent(FIRST_FRAME_SECONDS, FRAME_OUT)
    from tuan.domain.dashboard import quick, snapshot

    stored = snapshot.read(path)
    if child:
        # Past the snapshot (milliseconds), the child's work is whole-table reads (0.3 s on
        # xl; seconds with nothing stored) while the app draws its first frames: when both
        # (and the terminal) want a core, the app comes first.
        behind_the_parent()
    if stored is not None:
        send((STORED, stored))
        if child:
            # Checked once the app resumes it (first frame out, no key for a moment): run
            # beside it, this check (whole-table sums, 0.3 s on xl) made the first frame 1.2x
            # later even at low priority, and an area opened at once as slow.
            wait_for_parent(FIRST_FRAME_SECONDS, QUIET)
        key = snapshot.held_key(path)
        if key is not None:
            send((HELD, key))
    else:
        found = quick.numbers(path, shown=lambda overview: send((NUMBERS, overview)))
        if found is not None and found.documents:
            send((DOCUMENTS, found.documents))
    send((DONE, None))
