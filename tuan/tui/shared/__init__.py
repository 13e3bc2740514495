"""tuan.tui.shared."""
