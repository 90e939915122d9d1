"""Reads of review data that other parts use."""

from __future__ import annotations

from chiso.core import UnitData
from chiso.web.cycles.models import Cycle
from chiso.web.submissions.scoring import cycle_data


def final_unit_data(cycle: Cycle) -> list[UnitData]:
    """Every participating unit's answers as the results count them: the verified answers of
    the latest closed review round where a reviewer gave one, else the submitted answers;
    units that did not submit are ``no_data``."""
    return cycle_data(cycle)
