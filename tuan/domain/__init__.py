"""Rules, queries and text formats. Imports no Textual: both the app and the CLI call in here."""
