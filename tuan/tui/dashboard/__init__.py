"""The dashboard: today's work and the numbers with their trends."""
