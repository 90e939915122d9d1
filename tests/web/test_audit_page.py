"""The audit trail as the assessor reads it: per unit, criterion and action."""

from __future__ import annotations

from tests.web.conftest import Cast

from chiso.web.submissions import services
from chiso.web.submissions.services import save_answer, submit


def test_assessor_reads_the_trail_by_unit_criterion_and_action(cast: Cast) -> None:
    mine = services.submission_for(cast.part_a)
    other = services.submission_for(cast.part_b)
    first = save_answer(mine, "I", value="10", revision=None, by=cast.editor_a)
    save_answer(mine, "I", value="11,5", revision=first.revision, by=cast.head_a)
    save_answer(mine, "III", value="7", revision=None, by=cast.editor_a)
    save_answer(other, "I", value="3", revision=None, by=cast.editor_b)
    submit(mine, by=cast.head_a)
    services.reopen(mine, reason="Thiếu minh chứng", by=cast.admin)
    client = cast.client(cast.admin)
    url = f"/cycles/{cast.cycle.pk}/audit/"

    entries = client.get(url, {"unit": cast.unit_a.pk, "code": "I"}).context["entries"]
    assert [(e.actor, e.old, e.new) for e in entries] == [
        (cast.head_a, "10", "11.5"),
        (cast.editor_a, "", "10"),
    ]
    page = client.get(url, {"unit": cast.unit_a.pk, "action": "reopened"})
    assert [(e.note, e.actor) for e in page.context["entries"]] == [
        ("Thiếu minh chứng", cast.admin)
    ]
    assert "Thiếu minh chứng" in page.content.decode()
    assert len(client.get(url).context["entries"]) == 6


def test_viewer_reads_the_trail_and_a_unit_member_does_not(cast: Cast) -> None:
    url = f"/cycles/{cast.cycle.pk}/audit/"
    assert cast.client(cast.viewer).get(url).status_code == 200
    assert cast.client(cast.editor_a).get(url).status_code == 404
