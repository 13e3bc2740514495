"""Command palette (ctrl+p): every area and every action of the current screen, `类别: 动作`."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from tuan.i18n import _
from tuan.tui.areas import AREAS, area_label
from tuan.tui.shared.host import tuan_app
from tuan.tui.shared.translated import describe

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App


class AreaCommands(Provider):
    """Offers `前往: 接龙` for each area and `<area>: <action>` for the screen's keys."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app, host = self.app, tuan_app(self)
        commands: list[tuple[str, Callable[[], object], str]] = [
            (f"{_('前往')}: {area_label(a.title)}", partial(host.action_area, a.mode), a.key)
            for a in AREAS
        ]
        commands.append(
            (f"{_('付款')}: {_('导入微信/支付宝账单')}", partial(_import_bill, app), "4 b")
        )
        screen = self.screen
        area = area_label(getattr(screen, "AREA", ""))
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description:
                action = partial(screen.run_action, binding.action)
                commands.append((f"{area}: {describe(binding)}", action, binding.key))
        return commands

    async def discover(self) -> Hits:
        for name, callback, key in self._commands():
            yield DiscoveryHit(name, callback, help=key)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, key in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=key)


def _import_bill(app: App[object]) -> None:
    """Open the bill import (from any screen); the pickup list reads again when it is shown."""
    from tuan.tui.payments.import_ import PaymentImportScreen

    app.push_screen(PaymentImportScreen())
