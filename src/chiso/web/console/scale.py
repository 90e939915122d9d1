"""A synthetic cycle of any size (``manage.py seed_scale``): an assessor, a framework of that
many criteria in groups and parts, units in three blocks with their people, answers, evidence
records, a review in round 2 with verdicts and responses, and an earlier year's results.

Rows are written with ``bulk_create`` in batches, so that a national cycle (4,000 units ×
150 criteria, 600,000 answers) takes minutes at most; the same ``seed`` gives the same data.
Evidence records name files that are not stored: the pages list them, nobody downloads them.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from chiso.web.accounts.models import UNIT_ROLES, Role, User
from chiso.web.audit.models import Action
from chiso.web.audit.services import command_actor, record
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.services import import_framework
from chiso.web.results.models import PreviousResult
from chiso.web.reviews.models import Assignment, Response, Review, Stage, Verdict
from chiso.web.submissions.models import Answer, Evidence, Submission, SubmissionState

__all__ = ["PASSWORD", "Scale", "organisation_name", "seed"]

PASSWORD = "chiso-scale"
BATCH = 5000
BLOCKS = (("tinh", "Cấp tỉnh", 0.02), ("so", "Sở, ban, ngành", 0.28), ("xa", "Cấp xã", 0.70))
PARTS_PER_GROUP = 3
LEAVES_PER_PART = 5
KINDS = ("yes_no", "yes_no_evidence", "points", "proportional", "count", "choice")
YEAR = 2026


@dataclass(frozen=True)
class Scale:
    cycle: Cycle
    units: int
    answers: int
    verdicts: int


def organisation_name(units: int, criteria: int, seed: int) -> str:
    return f"Đơn vị đánh giá thử ({units} đơn vị × {criteria} tiêu chí, mẫu {seed})"


def _leaves(criteria: int) -> list[tuple[str, str]]:
    """(code, kind) of each leaf: groups A, B … of three parts, five leaves a part (the last
    part holds what is left)."""
    per_group = PARTS_PER_GROUP * LEAVES_PER_PART
    leaves = []
    for index in range(criteria):
        group, rest = divmod(index, per_group)
        part, leaf = divmod(rest, LEAVES_PER_PART)
        code = f"{_group_code(group)}.{part + 1}.{leaf + 1}"
        leaves.append((code, KINDS[index % len(KINDS)]))
    return leaves


def _group_code(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < len(letters) else f"G{index + 1}"


def _rule(kind: str) -> dict[str, Any]:
    if kind == "count":
        return {"type": "count", "per_item": 0.5}
    if kind == "choice":
        return {
            "type": "choice",
            "options": [
                {"value": "cao", "label": "Mức cao", "points": 2},
                {"value": "vua", "label": "Mức vừa", "points": 1},
                {"value": "thap", "label": "Mức thấp", "points": 0},
            ],
        }
    return {"type": kind}


def framework_source(criteria: int, seed: int) -> str:
    """The framework's YAML: ``criteria`` leaves of 2 points in groups and parts."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for code, kind in _leaves(criteria):
        group, part, _leaf = code.split(".")
        node = {"code": code, "name": f"Tiêu chí {code}", "max": 2, "rule": _rule(kind)}
        groups.setdefault(group, {}).setdefault(f"{group}.{part}", []).append(node)
    tree = [
        {
            "code": group,
            "name": f"Nhóm tiêu chí {group}",
            "classify": True,
            "children": [
                {"code": part, "name": f"Nội dung {part}", "children": children}
                for part, children in parts.items()
            ],
        }
        for group, parts in groups.items()
    ]
    document = {
        "id": f"thu-quy-mo-{criteria}-{seed}",
        "name": f"Bộ chỉ số thử quy mô ({criteria} tiêu chí)",
        "assessor": "Bộ Thông tin và Truyền thông (thử)",
        "year": YEAR,
        "blocks": [{"code": code, "name": name} for code, name, _share in BLOCKS],
        "classification": {
            "basis": "percent",
            "tiers": [
                {"label": "Tốt", "min": 80},
                {"label": "Khá", "min": 65},
                {"label": "Trung bình", "min": 50},
                {"label": "Yếu"},
            ],
        },
        "ranking": {"by": "percent", "ties": "competition", "precision": 2},
        "criteria": tree,
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _block_sizes(units: int) -> list[tuple[str, int]]:
    sizes = [(code, max(1, round(units * share))) for code, _name, share in BLOCKS[:-1]]
    sizes.append((BLOCKS[-1][0], max(1, units - sum(size for _code, size in sizes))))
    return sizes


def _answer(kind: str, level: float, rng: random.Random) -> str:
    if kind in ("yes_no", "yes_no_evidence"):
        return "1" if rng.random() < level else "0"
    if kind == "points":
        return str(Decimal(round(2 * level * 10)) / 10)
    if kind == "proportional":
        return str(round(100 * level))
    if kind == "count":
        return str(round(5 * level))
    return "cao" if level > 0.7 else "vua" if level > 0.4 else "thap"


def _batches(rows: Iterator[Any], model: Any) -> int:
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            count, batch = count + len(batch), []
    if batch:
        model.objects.bulk_create(batch)
    return count + len(batch)


@transaction.atomic
def seed(units: int, criteria: int, seed: int = 1) -> Scale:
    """Create the cycle; the same arguments give the same data (ValueError if it exists)."""
    name = organisation_name(units, criteria, seed)
    if Organisation.objects.filter(name=name).exists():
        raise ValueError(f"{name}: exists already")
    rng = random.Random(seed)
    now = timezone.now()
    organisation = Organisation.objects.create(name=name, place="Hà Nội")
    version = import_framework(
        organisation, framework_source(criteria, seed), source_name=f"thu-{criteria}.yaml"
    )
    cycle = Cycle.objects.create(
        organisation=organisation,
        name=f"Đánh giá thử năm {YEAR} ({units} đơn vị)",
        year=YEAR,
        framework=version,
        deadline=timezone.localdate() - datetime.timedelta(days=7),
        state=CycleState.UNDER_REVIEW,
    )
    prefix = {"tinh": "UBND tỉnh", "so": "Sở", "xa": "UBND xã"}
    blocks = [block for block, size in _block_sizes(units) for _ in range(size)]
    Unit.objects.bulk_create(
        Unit(organisation=organisation, name=f"{prefix[block]} thử số {n + 1:05d}", block=block)
        for n, block in enumerate(blocks)
    )
    unit_rows = list(organisation.units.order_by("pk"))
    Participation.objects.bulk_create(
        Participation(cycle=cycle, unit=unit, block=unit.block, voluntary=n % 97 == 5)
        for n, unit in enumerate(unit_rows)
    )
    participations = list(cycle.participations.select_related("unit").order_by("unit_id"))
    reviewer = _people(unit_rows, seed)
    # most units submitted; one in 20 has a draft, one in 50 nothing
    states = {}
    for n, participation in enumerate(participations):
        if n % 50 != 7:
            states[participation.pk] = (
                SubmissionState.DRAFT if n % 20 == 1 else SubmissionState.SUBMITTED
            )
    Submission.objects.bulk_create(
        Submission(
            participation_id=pk,
            state=state,
            submitted_at=now if state == SubmissionState.SUBMITTED else None,
            created_at=now,
            updated_at=now,
        )
        for pk, state in states.items()
    )
    submissions = dict(
        Submission.objects.filter(participation__cycle=cycle).values_list("participation_id", "pk")
    )
    leaves = _leaves(criteria)
    skill = {p.pk: rng.betavariate(4, 2) for p in participations}

    def answers() -> Iterator[Answer]:
        for participation in participations:
            if participation.pk not in submissions:
                continue
            draft = states[participation.pk] == SubmissionState.DRAFT
            for code, kind in leaves[: len(leaves) // 2] if draft else leaves:
                level = min(1.0, max(0.0, skill[participation.pk] + rng.gauss(0, 0.15)))
                yield Answer(
                    submission_id=submissions[participation.pk],
                    code=code,
                    value=_answer(kind, level, rng),
                    updated_at=now,
                )

    answered = _batches(answers(), Answer)
    evidence_codes = [code for code, kind in leaves if kind == "yes_no_evidence"]

    def evidence() -> Iterator[Evidence]:
        for pk, submission in submissions.items():
            for code in evidence_codes[:: 2 if pk % 3 else 1]:
                yield Evidence(
                    submission_id=submission,
                    code=code,
                    file=f"evidence/{cycle.pk}/scale/{submission}-{code}.pdf",
                    name=f"minh-chung-{code}.pdf",
                    content_type="application/pdf",
                    size=1024,
                    sha256="0" * 64,
                    uploaded_at=now,
                )

    _batches(evidence(), Evidence)
    verdicts = _review(cycle, reviewer, participations, states, leaves, rng, now)
    PreviousResult.objects.bulk_create(
        (
            PreviousResult(
                cycle=cycle,
                unit=p.unit.name,
                block=p.block,
                year=YEAR - 1,
                rank=n + 1,
                score=str(Decimal(rng.randint(0, 20 * criteria)) / 10),
                source_name="seed_scale",
            )
            for n, p in enumerate(participations)
            if n % 10
        ),
        batch_size=BATCH,
    )
    record(
        Action.ADDED, actor=None, actor_name=command_actor(), cycle=cycle,
        target=f"seed_scale: {cycle.name}", note="manage.py seed_scale",
        new=f"{units} units, {criteria} criteria, {answered} answers",
    )  # fmt: skip
    return Scale(cycle, units, answered, verdicts)


def _people(units: list[Unit], seed: int) -> User:
    """The assessor's admin, a reviewer and a viewer; an editor and a head per unit (one
    password hash for all of them: hashing 8,000 passwords would take hours)."""
    password = make_password(PASSWORD)
    tag = f"scale{len(units)}s{seed}"
    assessor = units[0].organisation_id if units else None  # everyone is the assessor's
    staff = [
        User(username=f"{tag}-{name}", role=kind, password=password, organisation_id=assessor)
        for name, kind in (
            ("admin", Role.ADMIN),
            ("reviewer", Role.REVIEWER),
            ("viewer", Role.VIEWER),
        )
    ]
    staff[0].is_staff = True
    people = (
        User(
            username=f"{tag}-{kind}-{unit.pk}",
            role=kind,
            unit=unit,
            password=password,
            organisation_id=unit.organisation_id,
        )
        for unit in units
        for kind in sorted(UNIT_ROLES)
    )
    _batches(iter([*staff, *people]), User)
    return User.objects.get(username=f"{tag}-reviewer")


def _review(
    cycle: Cycle,
    reviewer: User,
    participations: list[Participation],
    states: Mapping[int, str],
    leaves: list[tuple[str, str]],
    rng: random.Random,
    now: datetime.datetime,
) -> int:
    """Round 2 under way: round 1 verified every criterion (one in ten changed), a unit in
    five responded on two criteria, round 2 verified half of those responses."""
    Review.objects.create(cycle=cycle, stage=Stage.ROUND_2, updated_at=now)
    groups = sorted({code.split(".")[0] for code, _kind in leaves})
    Assignment.objects.bulk_create(
        Assignment(cycle=cycle, reviewer=reviewer, group=group) for group in groups
    )
    submitted = [p for p in participations if states.get(p.pk) == SubmissionState.SUBMITTED]
    rows = Answer.objects.filter(submission__participation__cycle=cycle)
    answers = {
        (pk, code): value
        for pk, code, value in rows.values_list("submission__participation_id", "code", "value")
    }

    def verdicts() -> Iterator[Verdict]:
        for participation in submitted:
            for code, kind in leaves:
                value = answers.get((participation.pk, code), "")
                changed = rng.random() < 0.1
                if changed and kind in ("yes_no", "yes_no_evidence"):
                    value = "0"
                yield Verdict(
                    participation=participation, round=1, code=code, verified=True,
                    value=value, comment="Chưa đủ minh chứng" if changed else "",
                    updated_at=now, updated_by=reviewer,
                )  # fmt: skip
            if participation.pk % 5 == 0:
                for code, _kind in leaves[:2]:
                    if participation.pk % 10 == 0:
                        yield Verdict(
                            participation=participation, round=2, code=code, verified=True,
                            value=answers.get((participation.pk, code), ""),
                            updated_at=now, updated_by=reviewer,
                        )  # fmt: skip

    count = _batches(verdicts(), Verdict)
    Response.objects.bulk_create(
        (
            Response(participation=p, code=code, text="Đơn vị bổ sung minh chứng.", updated_at=now)
            for p in submitted
            if p.pk % 5 == 0
            for code, _kind in leaves[:2]
        ),
        batch_size=BATCH,
    )
    return count
