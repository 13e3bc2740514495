"""What the screens need of the app they run in, typed once: `tuan_app(self).db`.

A screen's `self.app` is Textual's `App`, which knows nothing of the database. The screens cannot
import `TuanApp` to say more (`tuan.tui.app` imports every area: a cycle), so this protocol says
what they use of it; `tuan/tui/app.py` has mypy check `TuanApp` against it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from textual.app import App

    from tuan.db import Database
    from tuan.domain.shared.forked import Forked


class TuanHost(Protocol):
    """The app as the screens see it, beyond what Textual's `App` offers."""

    @property
    def db(self) -> Database:
        """The open database (the first caller, a worker, opens and migrates it)."""
        ...

    @property
    def db_path(self) -> Path | None:
        """The SQLite file behind the app (None for a server database)."""
        ...

    @property
    def db_label(self) -> str:
        """How the top bar names the database."""
        ...

    @property
    def data_generation(self) -> int:
        """Counts the commits: a reading taken at an older generation is stale."""
        ...

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Run `callback` once the first frame is on screen (at once if it already is)."""

    def take_first_reading(self) -> Forked | None:
        """The dashboard's first reading, started in a child process at launch (once)."""
        ...

    def first_data_shown(self) -> None:
        """The first screen has its data: the slower start-up chores may run."""

    def action_area(self, mode: str) -> None:
        """Bring the area `mode` to the front."""

    def quiet_for(self) -> float:
        """Seconds since the leader last pressed a key."""
        ...

    def when_quiet(self, seconds: float, again: Callable[[], object]) -> bool:
        """Whether no key has been pressed for `seconds` (else `again` runs once it is so)."""
        ...


class InApp(Protocol):
    """Anything that knows its app: a screen, a widget, a command palette provider."""

    @property
    def app(self) -> App[object]: ...


def tuan_app(node: InApp) -> TuanHost:
    """The app `node` runs in, as the screens use it (its database, its write generation…)."""
    return cast("TuanHost", node.app)
