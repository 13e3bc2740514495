"""tests.shared."""
