"""A cycle's groups against an earlier cycle scored on another framework, through the
criteria crosswalk attached to it (cycles.crosswalk): the comparison ``chiso report
--crosswalk`` prints (:func:`chiso.reports.crosswalk.year_comparison`), for the scorecards and
the publication. The earlier cycle's results are scored by the core from its final answers
with its own framework, as they were published (a published cycle's answers no longer
change) or as its draft stands; units are matched by name, as ``chiso report --crosswalk``
matches them. Nothing is computed here but by the core."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chiso.core import CycleResult, InvalidData, score
from chiso.core.crosswalk import CrosswalkError
from chiso.reports.crosswalk import YearComparison, year_comparison
from chiso.web.cycles.crosswalk import core_crosswalk
from chiso.web.cycles.models import Cycle, CycleCrosswalk
from chiso.web.reviews import selectors as reviews

__all__ = ["CrosswalkProblem", "compare"]


class CrosswalkProblem(Exception):
    """The comparison cannot be made (the message is for people)."""


def compare(cycle: Cycle, result: CycleResult) -> YearComparison | None:
    """The cycle's results against the earlier cycle of its crosswalk; None without one."""
    found = CycleCrosswalk.objects.filter(cycle=cycle).select_related("earlier__framework").first()
    if found is None:
        return None
    earlier = found.earlier.framework.framework
    try:
        crosswalk = core_crosswalk(found)
        # the earlier cycle's year, not its framework's (a framework may serve several years)
        before = score(earlier, reviews.final_unit_data(found.earlier), year=found.earlier.year)
    except (CrosswalkError, InvalidData) as error:
        raise CrosswalkProblem(
            _("The criteria crosswalk cannot be followed: %(problem)s") % {"problem": error}
        ) from None
    return year_comparison(crosswalk, result, before, earlier, cycle.framework.framework)
