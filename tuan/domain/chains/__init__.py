"""tuan.domain.chains.listing."""
