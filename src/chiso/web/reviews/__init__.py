"""Review rounds: assignments, verified scores, the units' responses."""
