"""A criterion's answer, verdicts and response as they stood when results were published, read
back from the audit trail.

The trail records every change of them with the value before and after
(submissions.services.save_answer, reviews.services.save_verdict and respond): so a step
changed after the publication stood as the first later entry's old value says, by whoever
wrote the last entry before it. What has no later entry stands as it is today.

The round of a verdict and whether an answer's entry changed its note are read from the
entry's data (:attr:`chiso.web.audit.models.AuditEntry.detail`). Entries written before the
trail kept them say it only in their notes, in the language of the person who made the change:
there the round ("Round 2") and the change of the answer's note ("Note on the answer") are
recognised in every language of the site.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from django.conf import settings
from django.utils import translation

from chiso.web.audit.models import Action, AuditEntry

__all__ = ["Later", "StepThen", "steps_then"]

NOT_APPLICABLE = "N/A"
_SEPARATOR = " · "
_RATIO = re.compile(r"^(.+)/(\d+(?:\.\d+)?)$")


@dataclass(frozen=True)
class Later:
    """One change of a step after the publication, as the trail wrote it."""

    at: datetime.datetime
    by: str
    old: str
    new: str


@dataclass(frozen=True)
class StepThen:
    """A step (``self_assessed``, ``round_1``, ``response``, ``round_2``) at the publication."""

    given: bool
    """Whether it existed then (a verdict or a response may have been added later)."""
    value: str
    denominator: Decimal | None
    not_applicable: bool
    verified: bool
    comment: str
    by: str
    """Who wrote its last entry before the publication ("" when the trail has none)."""
    at: datetime.datetime | None
    later: tuple[Later, ...]
    value_changed: bool
    """Whether its value changed later (else it stood as it stands today)."""
    comment_changed: bool
    """Whether its comment (a verdict's, the answer's note, the response's text) changed."""


def steps_then(entries: Sequence[AuditEntry], published: datetime.datetime) -> dict[str, StepThen]:
    """The steps of one criterion of one unit that changed after ``published``, as they stood
    then (``entries``: the criterion's entries of the unit, oldest first)."""
    values: dict[str, list[AuditEntry]] = {}
    notes: list[AuditEntry] = []
    verdict_notes: dict[str, str] = {}
    for entry in entries:
        if entry.action == Action.ANSWER:
            if _is_answer_note(entry):
                notes.append(entry)
            else:
                values.setdefault("self_assessed", []).append(entry)
        elif entry.action == Action.REVIEW and (round_ := _round(entry)) is not None:
            verdict_notes[str(entry.pk)] = round_[1]
            values.setdefault(f"round_{round_[0]}", []).append(entry)
        elif entry.action == Action.RESPONSE:
            values.setdefault("response", []).append(entry)
    if notes:
        values.setdefault("self_assessed", [])
    steps: dict[str, StepThen] = {}
    for step, own in values.items():
        own_notes = notes if step == "self_assessed" else []
        later = [e for e in (*own, *own_notes) if e.at > published]
        if not later:
            continue
        before = [e for e in own if e.at <= published]
        last = max(
            (e for e in (*before, *own_notes) if e.at <= published), key=_order, default=None
        )
        first = next((e for e in own if e.at > published), None)
        text = first.old if first is not None else ""
        later_notes = [e for e in own_notes if e.at > published]
        if step == "self_assessed":
            comment = later_notes[0].old if later_notes else ""
        elif step == "response":
            comment = ""
        else:
            comment = verdict_notes[str(before[-1].pk)] if before else ""
        value, denominator, not_applicable = _parse(text if step != "response" else "")
        steps[step] = StepThen(
            given=first is None or bool(text) or last is not None,
            value=text if step == "response" else value,
            denominator=denominator,
            not_applicable=not_applicable,
            verified=bool(text) and step.startswith("round_"),
            comment=comment,
            by=last.actor_name if last is not None else "",
            at=last.at if last is not None else None,
            later=tuple(Later(e.at, e.actor_name, e.old, e.new) for e in sorted(later, key=_order)),
            value_changed=first is not None,
            comment_changed=bool(later_notes) if step == "self_assessed" else first is not None,
        )
    return steps


def _order(entry: AuditEntry) -> tuple[datetime.datetime, int]:
    return entry.at, entry.pk or 0


def _parse(text: str) -> tuple[str, Decimal | None, bool]:
    """A value as the trail writes it ("10", "45/60", "N/A") back into its parts."""
    if text == NOT_APPLICABLE:
        return "", None, True
    if match := _RATIO.match(text):
        try:
            return match[1], Decimal(match[2]), False
        except InvalidOperation:
            pass
    return text, None, False


def _is_answer_note(entry: AuditEntry) -> bool:
    """Whether an answer's entry is the change of its note (not of its value)."""
    field = (entry.detail or {}).get("field")
    if field is not None:
        return bool(field == "note")
    return any(
        entry.note == text or entry.note.startswith(text + _SEPARATOR)
        for text in _texts("Note on the answer")
    )


def _round(entry: AuditEntry) -> tuple[int, str] | None:
    """The round of a verdict's entry and the verdict's comment, from its data and its note
    ("Round 2 · more evidence requested · comment")."""
    detail = entry.detail or {}
    if isinstance(detail.get("round"), int):
        parts = entry.note.split(_SEPARATOR)[1:]  # after the round, in whatever words
        if detail.get("evidence_requested"):
            parts = parts[1:]
        return detail["round"], _SEPARATOR.join(parts)
    note = entry.note
    for pattern in _round_patterns():
        if match := pattern.match(note):
            rest = note[match.end() :]
            for text in _texts("more evidence requested"):
                if rest.startswith(_SEPARATOR + text):
                    rest = rest[len(_SEPARATOR + text) :]
                    break
            comment = rest[len(_SEPARATOR) :] if rest.startswith(_SEPARATOR) else ""
            return int(match[1]), comment
    return None


@cache
def _texts(msgid: str) -> tuple[str, ...]:
    """A message in every language of the site."""
    found = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            found.append(translation.gettext(msgid))
    return tuple(dict.fromkeys([*found, msgid]))


@cache
def _round_patterns() -> tuple[re.Pattern[str], ...]:
    placeholder = re.escape("%(round)s")
    return tuple(
        re.compile(re.escape(text).replace(placeholder, r"(\d+)") + r"(?= · |$)")
        for text in _texts("Round %(round)s")
    )
