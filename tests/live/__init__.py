"""tests.live."""
