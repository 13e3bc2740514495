"""tests.members."""
