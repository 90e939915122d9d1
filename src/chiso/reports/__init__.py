"""Renderers over plain result data: they format, they never compute a score."""
