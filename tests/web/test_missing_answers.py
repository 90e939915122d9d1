"""The dashboard's count of missing answers after a change of some units: counted again for
those units alone, from the change numbers of the audit trail (chiso.web.audit.kept), and
always the count read whole."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import Cast
from tests.web.test_admin_audit import cycle_form, second_version

from chiso.web.audit.models import AuditEntry, ChangeCount
from chiso.web.audit.services import count_changes
from chiso.web.console.selectors import count_missing, missing_answers
from chiso.web.cycles.models import Cycle, CycleState, Participation, Unit
from chiso.web.cycles.services import change_state
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.submissions import services
from chiso.web.submissions.models import Answer

WHOLE = None
"""The answers read for the whole cycle, not by the ids of some of its submissions."""


def counted(cast: Cast) -> tuple[dict[int, int], set[int] | None]:
    """The kept counts now, checked against the counts read whole, and the submissions whose
    answers they read (WHOLE: the cycle's)."""
    cycle = Cycle.objects.get(pk=cast.cycle.pk)
    with CaptureQueriesContext(connection) as queries:
        counts = missing_answers(cycle)
    assert counts == count_missing(Cycle.objects.get(pk=cast.cycle.pk))
    reads = [q["sql"] for q in queries.captured_queries if "submissions_answer" in q["sql"]]
    if not reads:
        return counts, set()
    (read,) = reads
    ids = re.search(r'"submission_id" IN \(([\d, ]+)\)', read)
    return counts, WHOLE if ids is None else {int(pk) for pk in ids[1].split(", ")}


def answer(cast: Cast, part: Participation, code: str, value: str) -> int:
    """The unit's answer saved as its editor saves it; the submission's id."""
    submission = services.submission_for(part)
    found = Answer.objects.filter(submission=submission, code=code).first()
    editor = cast.editor_a if part == cast.part_a else cast.editor_b
    revision = found.revision if found else None
    services.save_answer(submission, code, value=value, revision=revision, by=editor)
    return submission.pk


def test_an_answer_saved_or_cleared_is_counted_again_for_its_unit_alone(cast: Cast) -> None:
    answer(cast, cast.part_b, "I", "3")
    first, read = counted(cast)
    assert read is WHOLE  # nothing kept yet
    assert counted(cast) == (first, set())  # kept: nothing read
    submission = answer(cast, cast.part_a, "I", "3")
    after, read = counted(cast)
    assert read == {submission}
    assert after == {**first, cast.part_a.pk: first[cast.part_a.pk] - 1}
    answer(cast, cast.part_a, "I", "")  # cleared
    assert counted(cast) == (first, {submission})


def test_changes_of_two_units_in_turn_are_counted_again_for_both(cast: Cast) -> None:
    counted(cast)
    ids = {answer(cast, cast.part_a, "I", "3"), answer(cast, cast.part_b, "I", "4")}
    answer(cast, cast.part_a, "II", "5")
    assert counted(cast)[1] == ids
    answer(cast, cast.part_b, "II", "5")
    assert counted(cast)[1] == {services.submission_for(cast.part_b).pk}


def test_a_unit_joining_or_leaving_the_cycle_is_counted_or_drops_out(cast: Cast) -> None:
    answer(cast, cast.part_b, "I", "3")
    before, _read = counted(cast)
    admin, url = cast.client(cast.admin), f"/admin/cycles/cycle/{cast.cycle.pk}/change/"
    unit = Unit.objects.create(organisation=cast.organisation, name="Sở Xây dựng")
    index = len(before)
    joining = {
        "participations-TOTAL_FORMS": index + 1,
        f"participations-{index}-cycle": cast.cycle.pk,
        f"participations-{index}-unit": unit.pk,
        f"participations-{index}-block": "so",
    }
    assert admin.post(url, cycle_form(cast.cycle, **joining)).status_code == 302
    joined = cast.cycle.participations.get(unit=unit)
    counts, read = counted(cast)
    assert read == set()  # no answers yet: every criterion of its block is missing
    assert counts == {**before, joined.pk: counts[cast.part_a.pk]}
    leaving = list(cast.cycle.participations.order_by("pk")).index(cast.part_b)
    gone = cycle_form(cast.cycle, **{f"participations-{leaving}-DELETE": "on"})
    assert admin.post(url, gone).status_code == 302
    counts, read = counted(cast)
    assert cast.part_b.pk not in counts and read == set()
    assert set(counts) == {cast.part_a.pk, cast.district.pk, joined.pk}


def test_a_change_of_the_whole_cycle_counts_everything_again(cast: Cast) -> None:
    counted(cast)
    version = second_version(cast)
    url = f"/admin/cycles/cycle/{cast.cycle.pk}/change/"
    changed = cycle_form(cast.cycle, framework=version.pk)
    assert cast.client(cast.admin).post(url, changed).status_code == 302
    assert counted(cast)[1] is WHOLE
    count_changes([cast.cycle.pk])  # a change counted with no entry of the cycle's
    assert counted(cast)[1] is WHOLE


def test_a_change_of_the_whole_cycle_that_changes_no_answer_reads_none(cast: Cast) -> None:
    # its state, a review round, a reviewer given a group: no answer, unit or framework changes
    answer(cast, cast.part_a, "I", "3")
    before, _read = counted(cast)
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    reviews.change_stage(cast.cycle, Stage.ROUND_1, by=cast.admin)
    reviews.assign(cast.cycle, cast.reviewer, group="I", by=cast.admin)
    assert counted(cast) == (before, set())
    # and what changes a unit afterwards is still read for that unit alone
    reopened = services.submission_for(cast.part_b)
    answer(cast, cast.part_b, "II", "4")
    assert counted(cast)[1] == {reopened.pk}


def test_every_entry_of_a_change_of_a_cycle_carries_its_number(cast: Cast) -> None:
    answer(cast, cast.part_a, "I", "3")  # a service's entry
    url = f"/admin/cycles/cycle/{cast.cycle.pk}/change/"
    renamed = cycle_form(cast.cycle, name="Đánh giá 2021 (sửa)")  # the administration's
    assert cast.client(cast.admin).post(url, renamed).status_code == 302
    second_version(cast)  # an entry of no cycle
    units = cast.cycle.participations.filter(block="so")
    assert reviews.assign_units(cast.cycle, cast.reviewer, units, by=cast.admin) == 2
    entries = AuditEntry.objects.filter(cycle=cast.cycle)
    numbers = list(entries.order_by("change_no").values_list("change_no", flat=True))
    count = ChangeCount.objects.get(cycle=cast.cycle).count
    assert None not in numbers
    assert sorted(set(numbers)) == list(range(1, count + 1))
    assert entries.filter(change_no=count).count() == 2  # one change of two units
    assert AuditEntry.objects.filter(cycle=None).exists()
    assert not AuditEntry.objects.filter(cycle=None).exclude(change_no=None).exists()
