"""tuan.domain.dashboard.overview."""
