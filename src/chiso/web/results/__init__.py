"""Results of a cycle computed by the core, publication, the public page."""
