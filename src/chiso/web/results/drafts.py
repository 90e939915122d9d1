"""The draft results of a cycle, computed once per change and kept (:mod:`chiso.web.audit.kept`):
the draft page, its charts and its scorecards read the same computed results until the data they
come from change."""

from __future__ import annotations

from collections.abc import Callable

from chiso.web.audit.kept import forget, kept
from chiso.web.cycles.models import Cycle
from chiso.web.results.snapshot import Computed

__all__ = ["draft", "forget"]


def draft(cycle: Cycle, compute: Callable[[Cycle], Computed]) -> Computed:
    """The cycle's results as ``compute`` gives them now, computed once per change."""
    return kept(cycle, "draft", compute, Computed)
