"""One module per command group of the `tuan` CLI; none imports Textual."""
