"""tuan.tui.members."""
