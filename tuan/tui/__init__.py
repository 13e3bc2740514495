"""The Textual app: one package per area (its screens and widgets), shared pieces in `shared/`."""
