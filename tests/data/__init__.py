"""tests.data."""
