"""tuan.domain.members.listing."""
