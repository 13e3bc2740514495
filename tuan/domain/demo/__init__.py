"""tuan.domain.demo.seed."""
