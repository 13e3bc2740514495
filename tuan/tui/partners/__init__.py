"""The partners area: partner sites, their posters and the members each brought."""
