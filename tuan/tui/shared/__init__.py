"""What every screen uses: the area base, forms and dialogs, the fast table, the footer, the
top bar, help and translated key bindings."""
