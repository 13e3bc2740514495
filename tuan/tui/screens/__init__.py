"""One module per area; modal forms beside them."""
