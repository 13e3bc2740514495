"""tests.pickup."""
