"""tuan.domain.pickup.checklist."""
