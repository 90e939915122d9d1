"""The API's input and output shapes."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from chiso.io.cells import has_control_characters


class Error(Schema):
    detail: str
    field: str | None = None


class ParticipationOut(Schema):
    id: int
    unit: str
    block: str
    voluntary: bool
    state: str  # nothing, draft or submitted
    submitted_at: datetime.datetime | None


class CycleOut(Schema):
    id: int
    name: str
    year: int
    framework: str
    deadline: datetime.date | None
    state: str


class CycleDetail(CycleOut):
    participations: list[ParticipationOut]


class AnswerOut(Schema):
    code: str
    value: str
    denominator: Decimal | None
    not_applicable: bool
    comment: str
    revision: int
    updated_at: datetime.datetime


class SubmissionOut(Schema):
    participation: int
    unit: str
    block: str
    state: str
    submitted_at: datetime.datetime | None
    total: Decimal | None
    max: Decimal | None
    answers: list[AnswerOut]


class AnswerIn(Schema):
    value: str = ""
    denominator: str = ""
    not_applicable: bool = False
    comment: str | None = None
    revision: int | None = None
    """The answer's revision when it was read (None or 0: it had no answer); a stale revision,
    or None or 0 when the answer exists, is a conflict (409)."""


class ConflictOut(Schema):
    detail: str
    field: str
    theirs: AnswerOut | None
    yours: str


class EvidenceOut(Schema):
    id: int
    code: str
    name: str
    content_type: str
    size: int
    uploaded_at: datetime.datetime
    url: str


class LinkOut(Schema):
    id: int
    unit_id: int
    unit: str
    """The successor: from ``year`` on, it continues ``earlier``."""
    year: int
    earlier: str
    """The predecessor, by name as the earlier year's results have it."""
    weight: Decimal | None
    kind: str  # renamed, merged or split
    carries: bool
    """Whether it carries an earlier result into this cycle."""


class LineageOut(Schema):
    cycle: int
    merge_policy: str  # best, mean or largest
    links: list[LinkOut]


class LinkIn(Schema):
    unit_id: int
    year: int = Field(ge=1990, le=2100)
    earlier: str = Field(max_length=200)
    weight: Decimal | None = Field(default=None, ge=0, max_digits=20, decimal_places=4)

    @field_validator("earlier")
    @classmethod
    def _a_name(cls, value: str) -> str:
        """A name, as the page's form takes it: not empty, no control characters."""
        value = value.strip()
        if not value:
            raise ValueError("the earlier unit has no name")
        if has_control_characters(value):
            raise ValueError("the earlier unit's name has control characters")
        return value


class PolicyIn(Schema):
    merge_policy: Literal["best", "mean", "largest"]
