"""The six areas of the app, in the order of their number keys."""

from __future__ import annotations

from dataclasses import dataclass

from tuan.i18n import NP_, _, pgettext


@dataclass(frozen=True)
class Area:
    """One area: its key, mode name, Chinese title and where its screen lives."""

    key: str
    mode: str
    title: str
    screen: str  # "module:Class", imported on first visit to keep start-up fast


AREAS = [
    Area("1", "dashboard", NP_("area", "首页"), "tuan.tui.dashboard.screen:DashboardScreen"),
    Area("2", "chains", NP_("area", "接龙"), "tuan.tui.chains.screen:ChainsScreen"),
    Area("3", "live", NP_("area", "直播"), "tuan.tui.live.screen:LiveScreen"),
    Area("4", "pickup", NP_("area", "自提"), "tuan.tui.pickup.screen:PickupScreen"),
    Area("5", "members", NP_("area", "团员"), "tuan.tui.members.screen:MembersScreen"),
    Area("6", "partners", NP_("area", "海报"), "tuan.tui.partners.screen:PartnersScreen"),
]


_TITLES = frozenset(area.title for area in AREAS)


def area_label(title: str) -> str:
    """An area's name in the current language (as an area, `海报` is Partners, not a poster).

    Other titles (a sub-screen's, a key's description) are translated as they are.
    """
    return pgettext("area", title) if title in _TITLES else _(title)
