"""The over-claim report of a cycle: the units' self-assessed points against the verified ones
(chiso.core.overclaim over two results of the engine: the submitted answers, and the answers
the results count — verified where a closed round verified them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import get_format

from chiso import format as fmt
from chiso.core import score
from chiso.core.overclaim import OverClaim, overclaim
from chiso.web.cycles.models import Cycle
from chiso.web.reviews.selectors import final_unit_data
from chiso.web.submissions.scoring import cycle_data

__all__ = ["BlockRows", "cycle_overclaim", "rows_of"]

SHOWN_CRITERIA = 5


def cycle_overclaim(cycle: Cycle) -> OverClaim:
    framework = cycle.framework.framework
    claimed = score(framework, cycle_data(cycle))
    verified = score(framework, final_unit_data(cycle))
    return overclaim(framework, claimed, verified)


@dataclass(frozen=True)
class BlockRows:
    name: str
    units: list[list[str]]
    """Per unit: its name, self-assessed, verified, difference, the criteria that differ most."""
    summary: dict[str, str | int]
    criteria: list[str]


def rows_of(cycle: Cycle, report: OverClaim) -> list[BlockRows]:
    """The report as the page prints it: numbers the Vietnamese way (decimal comma), each
    difference with its sign."""
    framework = cycle.framework.framework
    separator = get_format("DECIMAL_SEPARATOR")
    blocks = []
    for block in report.blocks:
        d = framework.display_for(block.block).score_decimals

        def shown(value: Decimal, d: int = d) -> str:
            return fmt.points(value, d, separator)

        def signed(value: Decimal, d: int = d) -> str:
            return ("+" if value > 0 else "") + shown(value, d)

        units = []
        for unit in block.units:
            leaves = [g for g in unit.criteria if framework.node(g.code).is_leaf]
            leaves.sort(key=lambda g: (-abs(g.difference), framework.order[g.code]))
            units.append(
                [
                    unit.unit,
                    shown(unit.total.claimed),
                    shown(unit.total.verified),
                    signed(unit.total.difference),
                    ", ".join(
                        f"{g.code} ({signed(g.difference)})" for g in leaves[:SHOWN_CRITERIA]
                    ),
                ]
            )
        criteria = [
            f"{code} ({signed(total)}, {count})"
            for code, total, count in block.criteria
            if framework.node(code).is_leaf and total > 0
        ][:SHOWN_CRITERIA]
        summary: dict[str, str | int] = {
            "claimed": shown(block.claimed),
            "verified": shown(block.verified),
            "difference": signed(block.difference),
            "over": block.over,
            "under": block.under,
        }
        blocks.append(BlockRows(block.name, units, summary, criteria))
    return blocks
