"""How solid each rank of the draft results is (docs/results.md): the ranks each unit could
have under the published rounding, as each disputed answer goes either way, and under a
modest perturbation of the groups' weights — computed by the core
(:mod:`chiso.core.robustness`) with the draft results, once per change of their data
(results.drafts), never per page view.

An answer is disputed while the review is not final: the unit's self-assessed answer and the
answer the results count (verified in a closed round) differ, and the unit may still respond
or a later round change it. When the review is final no answer is disputed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chiso.core import CycleResult, Framework, UnitData, score
from chiso.core.robustness import Perturbation, Robustness, disputed_units, robustness
from chiso.web.cycles.models import Cycle
from chiso.web.reviews.models import Stage
from chiso.web.reviews.selectors import review_of
from chiso.web.submissions.scoring import cycle_data

__all__ = ["DRAFT_PERTURBATION", "draft_robustness"]

DRAFT_PERTURBATION = Perturbation(draws=200, spread=Decimal("0.2"), seed=1)
"""Fewer draws than the command's 1000: a draft of a large cycle is computed on a page."""


def draft_robustness(
    cycle: Cycle, framework: Framework, result: CycleResult, units: Sequence[UnitData]
) -> Robustness:
    """The ranges of the draft results ``result`` of ``units`` (the answers they count)."""
    review = review_of(cycle)
    disputed = None
    if review is not None and review.stage != Stage.FINAL:
        claimed = cycle_data(cycle)
        year = cycle.year
        low, high = disputed_units(claimed, units, score(framework, claimed, year=year), result)
        disputed = (score(framework, low, year=year), score(framework, high, year=year))
    return robustness(framework, result, DRAFT_PERTURBATION, disputed)
