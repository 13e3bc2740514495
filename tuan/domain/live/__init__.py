"""tuan.domain.live.shows."""
