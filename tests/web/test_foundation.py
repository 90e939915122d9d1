from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from tests.web.conftest import Cast

from chiso.core import FrameworkError
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import CycleState, FrameworkVersion
from chiso.web.cycles.services import TransitionNotAllowed, change_state, import_framework
from chiso.web.submissions import services
from chiso.web.submissions.scoring import AnswerError, live_result, score_cycle
from chiso.web.submissions.services import Conflict, NotAllowed, save_answer, submit


def test_answers_are_scored_by_the_core(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    save_answer(submission, "I", value="12,5", revision=None, by=cast.editor_a)
    save_answer(submission, "II.b.3", value="1", revision=None, by=cast.editor_a)
    result = live_result(submission)
    assert result.total == Decimal("13.5")
    assert result.max == 85


def test_not_applicable_lowers_the_maximum(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    save_answer(submission, "II.b", not_applicable=True, revision=None, by=cast.editor_a)
    assert live_result(submission).max == 70


def test_answer_over_its_maximum_is_refused_with_the_reason(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    with pytest.raises(AnswerError, match="13"):
        save_answer(submission, "I", value="14", revision=None, by=cast.editor_a)
    assert not submission.answers.exists()


def test_stale_revision_is_a_conflict_with_both_values(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    first = save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)
    save_answer(submission, "I", value="11", revision=first.revision, by=cast.head_a)
    with pytest.raises(Conflict) as conflict:
        save_answer(submission, "I", value="12", revision=first.revision, by=cast.editor_a)
    assert conflict.value.theirs.value == "11"
    assert conflict.value.yours == "12"


def test_every_change_is_in_the_audit_trail(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    first = save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)
    save_answer(submission, "I", value="11", revision=first.revision, by=cast.editor_a)
    entries = AuditEntry.objects.filter(action=Action.ANSWER, code="I").order_by("at", "id")
    assert [(e.old, e.new, e.actor) for e in entries] == [
        ("", "10", cast.editor_a),
        ("10", "11", cast.editor_a),
    ]


def test_editor_of_another_unit_cannot_change_answers(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    with pytest.raises(NotAllowed):
        save_answer(submission, "I", value="10", revision=None, by=cast.editor_b)


def test_only_the_head_submits_and_submission_locks(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    with pytest.raises(NotAllowed):
        submit(submission, by=cast.editor_a)
    submit(submission, by=cast.head_a)
    with translation.override("en"), pytest.raises(NotAllowed, match="locked"):
        save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)


def test_reopen_needs_the_assessor_and_a_reason(cast: Cast) -> None:
    submission = submit(services.submission_for(cast.part_a), by=cast.head_a)
    with pytest.raises(NotAllowed):
        services.reopen(submission, reason="sai số liệu", by=cast.head_a)
    with pytest.raises(NotAllowed):
        services.reopen(submission, reason=" ", by=cast.admin)
    services.reopen(submission, reason="sai số liệu", by=cast.admin)
    entry = AuditEntry.objects.get(action=Action.REOPENED)
    assert entry.note == "sai số liệu"


def test_cycle_transitions_follow_the_path(cast: Cast) -> None:
    with pytest.raises(TransitionNotAllowed):
        change_state(cast.cycle, CycleState.PUBLISHED, by=cast.admin)
    with pytest.raises(TransitionNotAllowed):
        change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.editor_a)
    assert change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin).state == "under_review"


def test_framework_upload_makes_a_new_version_only_when_changed(cast: Cast) -> None:
    source = cast.cycle.framework.source
    assert import_framework(cast.organisation, source) == cast.cycle.framework
    changed = import_framework(cast.organisation, source.replace("max: 15", "max: 16", 1))
    assert changed.version == 2
    assert FrameworkVersion.objects.count() == 2


def test_framework_upload_error_names_line_and_field(cast: Cast) -> None:
    with pytest.raises(FrameworkError, match=r"my\.yaml, line \d+"):
        import_framework(cast.organisation, "id: x\nblocks: 3\n", source_name="my.yaml")


def test_demo_results_equal_the_published_ranking(db: None) -> None:
    cycle = create_demo()
    result = score_cycle(cycle, submitted_only=False)
    departments = {u.unit: u for u in result.blocks[0].units}
    # Bảng 1 of Quyết định 5136/QĐ-UBND: Sở Thông tin và Truyền thông 85/85, rank 1
    assert departments["Sở Thông tin và Truyền thông"].total == 85
    assert departments["Sở Thông tin và Truyền thông"].rank == 1
    assert departments["Văn phòng UBND tỉnh"].max == 70


def test_unit_member_sees_own_form_and_404_for_another(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    assert client.get(f"/submissions/{cast.part_a.pk}/").status_code == 200
    assert client.get(f"/submissions/{cast.part_b.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(cast: Cast) -> None:
    response = cast.client(None).get(f"/submissions/{cast.part_a.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_pages_are_in_vietnamese_by_default(cast: Cast) -> None:
    response = cast.client(None).get("/accounts/login/")
    assert 'lang="vi"' in response.content.decode()
