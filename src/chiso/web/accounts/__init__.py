"""People and their roles; login."""
