"""The methodology: framework model, rules, scoring, tiers, ranking, statistics.

Plain values in, plain values out; no Django, no files (except :func:`load_framework`), no
clock. This is the one and only place where a score is computed.
"""

from chiso.core.framework import Framework
from chiso.core.loader import FrameworkError, load_framework, parse_framework, shipped_frameworks
from chiso.core.model import (
    Answer,
    AnswerColumn,
    AnswerTable,
    BlockResult,
    CycleResult,
    NodeResult,
    NotRankedReason,
    PreviousComparison,
    PreviousResult,
    RowAnswers,
    Status,
    Summary,
    TierCount,
    UnitData,
    UnitResult,
)
from chiso.core.numbers import round_half_up
from chiso.core.scoring import InvalidData, score

__all__ = [
    "Answer",
    "AnswerColumn",
    "AnswerTable",
    "BlockResult",
    "CycleResult",
    "Framework",
    "FrameworkError",
    "InvalidData",
    "NodeResult",
    "NotRankedReason",
    "PreviousComparison",
    "PreviousResult",
    "RowAnswers",
    "Status",
    "Summary",
    "TierCount",
    "UnitData",
    "UnitResult",
    "load_framework",
    "parse_framework",
    "round_half_up",
    "score",
    "shipped_frameworks",
]
