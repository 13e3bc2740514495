"""The six areas of the app, in the order of their number keys."""

from __future__ import annotations

from dataclasses import dataclass

from tuan.i18n import N_


@dataclass(frozen=True)
class Area:
    """One area: its key, mode name, Chinese title and where its screen lives."""

    key: str
    mode: str
    title: str
    screen: str  # "module:Class", imported on first visit to keep start-up fast


AREAS = [
    Area("1", "dashboard", N_("首页"), "tuan.tui.screens.dashboard:DashboardScreen"),
    Area("2", "chains", N_("接龙"), "tuan.tui.screens.chains:ChainsScreen"),
    Area("3", "live", N_("直播"), "tuan.tui.screens.live:LiveScreen"),
    Area("4", "pickup", N_("自提"), "tuan.tui.screens.pickup:PickupScreen"),
    Area("5", "members", N_("团员"), "tuan.tui.screens.members:MembersScreen"),
    Area("6", "partners", N_("海报"), "tuan.tui.screens.partners:PartnersScreen"),
]
