"""tuan.tui.partners."""
