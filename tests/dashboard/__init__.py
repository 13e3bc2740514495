"""tests.dashboard."""
