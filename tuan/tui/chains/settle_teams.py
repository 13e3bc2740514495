"""The choice after the deadline for the 拼团 teams that did not fill: normal price or cancel."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tuan.domain.shared.states import TeamSettle
from tuan.domain.shared.width import wrap
from tuan.i18n import N_, _
from tuan.tui.shared.translated import TranslatedBindings


class SettleTeamsScreen(TranslatedBindings, ModalScreen[str | None]):
    """Returns `normal` (`1`), `cancel` (`2`), or None (`esc`: decide later)."""

    DEFAULT_CSS = """
    SettleTeamsScreen { align: center middle; }
    SettleTeamsScreen > Vertical {
        width: 70; height: auto; border: thick $warning; background: $surface; padding: 1 2;
    }
    SettleTeamsScreen #settle-title { text-style: bold; color: $warning; }
    SettleTeamsScreen #settle-keys { color: $text-muted; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("1", "choose('normal')", N_("按原价成交"), id="teams.settle_normal"),
        Binding("2", "choose('cancel')", N_("取消这些订单"), id="teams.settle_cancel"),
        Binding("escape,n", "choose('')", N_("先不结算"), id="teams.settle_later"),
    ]

    def __init__(self, teams_text: str) -> None:
        super().__init__()
        self.teams_text = teams_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(_("结算没成团的团"), id="settle-title")
            yield Static("\n".join(wrap(self.teams_text, 62)), id="settle-teams")
            yield Static(
                _("1：按原价成交（订单保留，按单买价收钱）\n"
                  "2：取消这些订单里的拼团商品（已付款的要退钱）\n"
                  "esc：先不结算"),
                id="settle-keys",
            )  # fmt: skip

    def action_choose(self, mode: str) -> None:
        """Close with the leader's choice ('' → None)."""
        self.dismiss(TeamSettle(mode) if mode else None)
