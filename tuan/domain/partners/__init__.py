"""tuan.domain.partners.sites."""
