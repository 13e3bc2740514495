"""tuan.domain.shared."""
