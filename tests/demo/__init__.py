"""tests.demo."""
