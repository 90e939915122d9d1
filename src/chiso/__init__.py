"""chiso: the yearly assessment and ranking of how far state agencies have gone digital."""

__version__ = "0.1.0"
