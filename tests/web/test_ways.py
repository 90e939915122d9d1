"""Every role finds its way: each link a page shows is one its reader may follow, and the
pages of a cycle lead to each other (the dashboard to the units' self-assessments and to the
review, a unit's review to its self-assessment and printed form)."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.web.conftest import Cast
from tests.web.reviews.conftest import ANSWERS_A, ANSWERS_B, close_round_1, fill
from tests.web.selfassessment.conftest import PDF

from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.submissions.services import add_evidence, submission_for, upload_signed_scan

HREF = re.compile(r'href="(/[^"#]*)')


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def walk(cast: Cast) -> Cast:
    """Round 1 closed: Sở Tư pháp (A) has an evidence file, a signed form and a response with
    a file; the reviewer reviewed A; Sở Y tế (B) submitted; the district has nothing."""
    add_evidence(submission_for(cast.part_a), "III", pdf("quy-che.pdf"), by=cast.editor_a)
    fill(cast, cast.part_a, ANSWERS_A, cast.editor_a, cast.head_a)
    fill(cast, cast.part_b, ANSWERS_B, cast.editor_b, cast.head_b)
    upload_signed_scan(submission_for(cast.part_a), pdf("ban-ky.pdf"), by=cast.head_a)
    reviews.assign(cast.cycle, cast.reviewer, participation=cast.part_a, by=cast.admin)
    reviews.change_stage(cast.cycle, Stage.ROUND_1, by=cast.admin)
    close_round_1(cast)
    reviews.respond(
        cast.part_a, "III", text="Đã ban hành", files=[pdf("bo-sung.pdf")], by=cast.editor_a
    )
    return cast


def links(client: Client, url: str) -> set[str]:
    """The site's own links on the page at ``url`` (not its static files)."""
    response = client.get(url)
    assert response.status_code == 200, url
    found = set(HREF.findall(response.content.decode()))
    return {link.replace("&amp;", "&") for link in found if not link.startswith("/static/")}


def broken_links(client: Client, url: str) -> dict[str, int]:
    """Each link of the page that does not end on a page (200) once its redirects are followed."""
    answers = {link: client.get(link, follow=True).status_code for link in links(client, url)}
    return {link: status for link, status in answers.items() if status != 200}


def pages(cast: Cast) -> list[str]:
    return [
        reverse("home"),
        reverse("cycles:dashboard", args=[cast.cycle.pk]),
        reverse("reviews:overview", args=[cast.cycle.pk]),
        reverse("reviews:history", args=[cast.part_a.pk]),
        reverse("submissions:form", args=[cast.part_a.pk]),
    ]


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_every_link_of_the_cycles_pages_answers_for_who_sees_them(walk: Cast, who: str) -> None:
    client = walk.client(getattr(walk, who))
    assert {url: broken_links(client, url) for url in pages(walk)} == {
        url: {} for url in pages(walk)
    }


def test_every_link_of_the_review_pages_answers_for_the_assessor(walk: Cast) -> None:
    client = walk.client(walk.admin)
    assert broken_links(client, reverse("reviews:review", args=[walk.part_a.pk])) == {}


def test_every_link_of_the_review_pages_answers_for_the_reviewer(walk: Cast) -> None:
    client = walk.client(walk.reviewer)
    for url in (
        reverse("home"),
        reverse("reviews:queue", args=[walk.cycle.pk]),
        reverse("reviews:review", args=[walk.part_a.pk]),
        reverse("reviews:history", args=[walk.part_a.pk]),
    ):
        assert broken_links(client, url) == {}, url


def test_a_viewer_sees_the_files_names_without_links(walk: Cast) -> None:
    """Viewers read the scores, not the files (docs/roles.md): the names, no download."""
    client = walk.client(walk.viewer)
    history = client.get(reverse("reviews:history", args=[walk.part_a.pk])).content.decode()
    form = client.get(reverse("submissions:form", args=[walk.part_a.pk])).content.decode()
    assert "quy-che.pdf" in history and "bo-sung.pdf" in history and "quy-che.pdf" in form
    assert "/reviews/evidence/" not in history and "/reviews/response-file/" not in history
    assert "/evidence/" not in form and "/signed/file/" not in form
    assert "Đã tải lên phiếu đã ký" in form


def test_the_assessor_and_a_reviewer_download_the_files_from_the_pages(walk: Cast) -> None:
    for user in (walk.admin, walk.reviewer):
        client = walk.client(user)
        found = links(client, reverse("reviews:history", args=[walk.part_a.pk]))
        found |= links(client, reverse("submissions:form", args=[walk.part_a.pk]))
        assert {link for link in found if "evidence" in link or "file" in link} == {
            reverse("reviews:evidence", args=[walk.part_a.submission.evidence.get().pk]),
            reverse("reviews:response_file", args=[walk.part_a.responses.get().files.get().pk]),
            reverse(
                "submissions:evidence_file",
                args=[walk.part_a.pk, walk.part_a.submission.evidence.get().pk],
            ),
            reverse("submissions:scan_file", args=[walk.part_a.pk]),
        }


def test_the_viewer_follows_an_assignment_to_the_units_review_results(walk: Cast) -> None:
    """The review page of a unit is the review team's (a viewer gets 404): the overview's
    assignment leads a viewer to the unit's review results instead."""
    found = links(walk.client(walk.viewer), reverse("reviews:overview", args=[walk.cycle.pk]))
    assert reverse("reviews:review", args=[walk.part_a.pk]) not in found
    assert reverse("reviews:history", args=[walk.part_a.pk]) in found
    assessor = links(walk.client(walk.admin), reverse("reviews:overview", args=[walk.cycle.pk]))
    assert reverse("reviews:review", args=[walk.part_a.pk]) in assessor


def test_the_assessors_way_back_from_a_units_review_is_the_cycles_review(walk: Cast) -> None:
    found = links(walk.client(walk.admin), reverse("reviews:review", args=[walk.part_a.pk]))
    assert reverse("reviews:overview", args=[walk.cycle.pk]) in found
    assert reverse("reviews:queue", args=[walk.cycle.pk]) not in found
    reviewer = links(walk.client(walk.reviewer), reverse("reviews:review", args=[walk.part_a.pk]))
    assert reverse("reviews:queue", args=[walk.cycle.pk]) in reviewer


def test_the_assessor_asking_for_a_queue_gets_the_cycles_review(walk: Cast) -> None:
    response = walk.client(walk.admin).get(reverse("reviews:queue", args=[walk.cycle.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:overview", args=[walk.cycle.pk])
    viewer = walk.client(walk.viewer).get(reverse("reviews:queue", args=[walk.cycle.pk]))
    assert viewer.status_code == 403


@pytest.mark.parametrize("who", ["admin", "viewer"])
def test_the_dashboard_leads_to_each_units_self_assessment_and_the_review(
    walk: Cast, who: str
) -> None:
    found = links(
        walk.client(getattr(walk, who)), reverse("cycles:dashboard", args=[walk.cycle.pk])
    )
    forms = {reverse("submissions:form", args=[p.pk]) for p in (walk.part_a, walk.part_b)}
    assert forms | {reverse("submissions:form", args=[walk.district.pk])} <= found
    assert reverse("reviews:overview", args=[walk.cycle.pk]) in found


def test_a_units_review_leads_to_its_self_assessment_and_printed_form(walk: Cast) -> None:
    for user, page in (
        (walk.admin, "reviews:review"),
        (walk.reviewer, "reviews:review"),
        (walk.viewer, "reviews:history"),
    ):
        found = links(walk.client(user), reverse(page, args=[walk.part_a.pk]))
        assert reverse("submissions:form", args=[walk.part_a.pk]) in found, (user, page)
        form = links(walk.client(user), reverse("submissions:form", args=[walk.part_a.pk]))
        assert reverse("submissions:print", args=[walk.part_a.pk]) in form
