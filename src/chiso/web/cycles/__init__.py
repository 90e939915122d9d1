"""The assessor, its units, framework versions and cycles; the assessor's dashboard."""
