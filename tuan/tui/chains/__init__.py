"""The chains area: the list, a chain's entries and forms, export and the paste-back import."""
