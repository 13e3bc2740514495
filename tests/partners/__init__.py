"""tests.partners."""
