"""tuan.tui.chains."""
