"""Every role against every page, action and file of a unit's self-assessment: the unit's own
people change it, the assessor, reviewers and viewers read it (403 on a change), the people of
another unit get 404, and an anonymous visitor is sent to log in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from tests.web.conftest import Cast
from tests.web.selfassessment.conftest import PDF, upload

from chiso.web.submissions.models import Answer, Evidence, Submission
from chiso.web.submissions.services import add_evidence, submission_for, submit

READERS = ["editor_a", "head_a", "admin", "reviewer", "viewer"]
FILE_READERS = ["editor_a", "head_a", "admin", "reviewer"]  # not viewers (docs/roles.md)
OUTSIDERS = ["editor_b", "head_b"]
ONLOOKERS = ["admin", "reviewer", "viewer"]  # read, never change
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def evidence(cast: Cast) -> Evidence:
    submission = submission_for(cast.part_a)
    return add_evidence(submission, "I", upload("ha-tang.pdf", PDF), by=cast.editor_a)


@pytest.fixture
def signed(cast: Cast, evidence: Evidence) -> Submission:
    from chiso.web.submissions.services import upload_signed_scan

    submission = submit(evidence.submission, by=cast.head_a)
    return upload_signed_scan(submission, upload("phieu.pdf", PDF), by=cast.head_a)


def client_of(cast: Cast, who: str | None) -> Client:
    return cast.client(None if who is None else getattr(cast, who))


Read = Callable[[Client, Cast, Evidence], Any]

READS: dict[str, Read] = {
    "form": lambda c, cast, e: c.get(f"/submissions/{cast.part_a.pk}/"),
    "row": lambda c, cast, e: c.get(f"/submissions/{cast.part_a.pk}/answer/row/?code=I"),
    "print": lambda c, cast, e: c.get(f"/submissions/{cast.part_a.pk}/print/"),
    "evidence file": lambda c, cast, e: c.get(f"/submissions/{cast.part_a.pk}/evidence/{e.pk}/"),
}
FILES = ["evidence file"]

CHANGES: dict[str, Read] = {
    "save": lambda c, cast, e: c.post(
        f"/submissions/{cast.part_a.pk}/answer/", {"code": "III", "value": "5"}, **HTMX
    ),
    "evidence upload": lambda c, cast, e: c.post(
        f"/submissions/{cast.part_a.pk}/evidence/",
        {"code": "III", "file": upload("x.pdf", PDF + b" ")},
        **HTMX,
    ),
    "evidence remove": lambda c, cast, e: c.post(
        f"/submissions/{cast.part_a.pk}/evidence/{e.pk}/remove/", **HTMX
    ),
    "signed scan upload": lambda c, cast, e: c.post(
        f"/submissions/{cast.part_a.pk}/signed/", {"file": upload("s.pdf", PDF)}
    ),
}


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("view", READS)
def test_unit_people_assessor_reviewer_and_viewer_read(
    cast: Cast, evidence: Evidence, who: str, view: str
) -> None:
    response = READS[view](client_of(cast, who), cast, evidence)
    assert response.status_code == (403 if who == "viewer" and view in FILES else 200)


def test_viewer_may_not_download_the_evidence_or_the_signed_form(
    cast: Cast, signed: Submission
) -> None:
    client = client_of(cast, "viewer")
    evidence = signed.evidence.get()
    assert client.get(f"/submissions/{cast.part_a.pk}/evidence/{evidence.pk}/").status_code == 403
    assert client.get(f"/submissions/{cast.part_a.pk}/signed/file/").status_code == 403


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("view", [*READS, *CHANGES, "submit", "signed file"])
def test_people_of_another_unit_get_404(
    cast: Cast, evidence: Evidence, who: str, view: str
) -> None:
    client = client_of(cast, who)
    if view == "submit":
        response = client.post(f"/submissions/{cast.part_a.pk}/submit/", {"confirm": "on"})
    elif view == "signed file":
        response = client.get(f"/submissions/{cast.part_a.pk}/signed/file/")
    else:
        response = {**READS, **CHANGES}[view](client, cast, evidence)
    assert response.status_code == 404
    assert Submission.objects.get(participation=cast.part_a).state == "draft"
    assert not Answer.objects.filter(code="III").exists()
    assert Evidence.objects.current().count() == 1


@pytest.mark.parametrize("who", ONLOOKERS)
@pytest.mark.parametrize("view", [*CHANGES, "submit"])
def test_assessor_reviewer_and_viewer_may_not_change_403(
    cast: Cast, evidence: Evidence, who: str, view: str
) -> None:
    client = client_of(cast, who)
    if view == "submit":
        response = client.post(f"/submissions/{cast.part_a.pk}/submit/", {"confirm": "on"})
    else:
        response = CHANGES[view](client, cast, evidence)
    assert response.status_code == 403
    assert Submission.objects.get(participation=cast.part_a).state == "draft"
    assert not Answer.objects.filter(code="III").exists()
    assert Evidence.objects.current().count() == 1


@pytest.mark.parametrize("view", [*READS, *CHANGES, "submit", "signed file"])
def test_anonymous_is_sent_to_log_in(cast: Cast, evidence: Evidence, view: str) -> None:
    client = client_of(cast, None)
    if view == "submit":
        response = client.get(f"/submissions/{cast.part_a.pk}/submit/")
    elif view == "signed file":
        response = client.get(f"/submissions/{cast.part_a.pk}/signed/file/")
    else:
        response = {**READS, **CHANGES}[view](client, cast, evidence)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["editor_a", "head_a"])
@pytest.mark.parametrize("view", ["save", "evidence upload", "evidence remove"])
def test_the_units_editor_and_head_change_the_draft(
    cast: Cast, evidence: Evidence, who: str, view: str
) -> None:
    assert CHANGES[view](client_of(cast, who), cast, evidence).status_code == 200


def test_only_the_head_opens_the_submit_page(cast: Cast) -> None:
    assert cast.client(cast.head_a).get(f"/submissions/{cast.part_a.pk}/submit/").status_code == 200
    assert (
        cast.client(cast.editor_a).get(f"/submissions/{cast.part_a.pk}/submit/").status_code == 403
    )
    assert cast.client(cast.admin).get(f"/submissions/{cast.part_a.pk}/submit/").status_code == 403


@pytest.mark.parametrize("who", FILE_READERS)
def test_signed_scan_is_downloaded_by_every_reader_of_files(
    cast: Cast, signed: Submission, who: str
) -> None:
    response = client_of(cast, who).get(f"/submissions/{cast.part_a.pk}/signed/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_evidence_of_another_unit_is_404_even_through_own_participation(
    cast: Cast, evidence: Evidence
) -> None:
    """An evidence id is looked up within the participation in the URL."""
    client = cast.client(cast.editor_b)
    response = client.get(f"/submissions/{cast.part_b.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 404
    response = client.post(f"/submissions/{cast.part_b.pk}/evidence/{evidence.pk}/remove/")
    assert response.status_code == 404
