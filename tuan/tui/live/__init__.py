"""tuan.tui.live."""
