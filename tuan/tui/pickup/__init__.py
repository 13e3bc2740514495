"""tuan.tui.pickup."""
