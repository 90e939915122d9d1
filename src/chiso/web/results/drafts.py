"""The draft results of a cycle, computed once per change and kept (:mod:`chiso.web.audit.kept`):
the draft page, its charts and its scorecards read the same computed results until the data they
come from change. They are computed in the background (results.refresh); a page reads what is
kept."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from chiso.web.audit.kept import forget, kept, key_of, last_kept, peek
from chiso.web.cycles.models import Cycle
from chiso.web.results.snapshot import Computed

__all__ = ["draft", "draft_key", "forget", "key_and_draft", "last_draft"]


def draft(cycle: Cycle, compute: Callable[[Cycle], Computed]) -> Computed:
    """The cycle's results as ``compute`` gives them now, computed once per change."""
    return kept(cycle, "draft", compute, Computed, last=True)


def draft_key(cycle: Cycle) -> str:
    """What the cycle's draft of now is kept under (two queries)."""
    return key_of(cycle, "draft")


def key_and_draft(cycle: Cycle) -> tuple[str, Computed | None]:
    """What the cycle's draft of now is kept under, and that draft when it is computed."""
    return peek(cycle, "draft", Computed)


def last_draft(cycle: Cycle) -> tuple[Computed, datetime.datetime] | None:
    """The cycle's draft computed last, and when its data were read."""
    return last_kept(cycle, "draft", Computed)
