"""tuan.tui.dashboard."""
