"""The pickup area: the checklist with tick-off, the sorting list and exports."""
