"""tests.chains."""
