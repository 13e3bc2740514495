"""The live area: the list, the run-of-show editor, live mode and the summary."""
