"""The JSON API: the same permissions as the pages, for every role; conflicts as 409."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from tests.web.conftest import Cast

from chiso.web.audit.models import AuditEntry
from chiso.web.submissions import services
from chiso.web.submissions.models import Evidence, Submission
from chiso.web.submissions.services import save_answer

API = "/api/v1"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def put(client: Client, url: str, data: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(data), content_type="application/json")


def evidence_of(cast: Cast, participation: Any) -> Evidence:
    evidence = Evidence(
        submission=services.submission_for(participation), code="I", name="ke-hoach.pdf",
        content_type="application/pdf", size=9, sha256="0" * 64,
    )  # fmt: skip
    evidence.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return evidence


def test_anonymous_gets_401(cast: Cast) -> None:
    assert Client().get(f"{API}/cycles/").status_code == 401


def test_openapi_schema_is_published(cast: Cast) -> None:
    schema = cast.client(cast.admin).get(f"{API}/openapi.json").json()
    assert f"{API}/submissions/{{participation_id}}/answers/{{code}}" in schema["paths"]


@pytest.mark.parametrize(
    "url", ["/api/", "/api/docs", "/api/docs/", "/api/v1/", "/api/v1/docs/", "/api"]
)
def test_the_addresses_people_guess_lead_to_the_docs(db: None, url: str) -> None:
    response = Client().get(url, follow=True)
    assert response.redirect_chain[-1] == ("/api/v1/docs", 302)
    assert response.status_code == 200 and b"swagger-ui" in response.content


def test_the_apis_calls_are_not_redirected(cast: Cast) -> None:
    assert Client().get(f"{API}/cycles/").status_code == 401
    assert Client().get(f"{API}/nothing-here").status_code == 404
    assert Client().get(f"{API}/docs").status_code == 200


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer"])
def test_followers_see_every_unit_of_a_cycle(cast: Cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    assert [c["id"] for c in client.get(f"{API}/cycles/").json()] == [cast.cycle.pk]
    detail = client.get(f"{API}/cycles/{cast.cycle.pk}").json()
    assert {p["unit"]: p["state"] for p in detail["participations"]} == {
        "Sở Tư pháp": "nothing", "Sở Y tế": "nothing", "UBND huyện An Lão": "nothing"
    }  # fmt: skip


def test_unit_member_sees_only_its_own_unit(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    assert [c["id"] for c in client.get(f"{API}/cycles/").json()] == [cast.cycle.pk]
    detail = client.get(f"{API}/cycles/{cast.cycle.pk}").json()
    assert [p["unit"] for p in detail["participations"]] == ["Sở Tư pháp"]


def test_editor_writes_an_answer_and_reads_it_back_with_the_score(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    url = f"{API}/submissions/{cast.part_a.pk}"
    answer = put(client, f"{url}/answers/I", {"value": "12,5"}).json()
    assert (answer["value"], answer["revision"]) == ("12.5", 1)
    read = client.get(url).json()
    assert read["state"] == "draft" and read["total"] == "12.5" and read["max"] == "85"
    assert [a["code"] for a in read["answers"]] == ["I"]


def test_stale_revision_is_409_with_both_values(cast: Cast) -> None:
    first = save_answer(
        services.submission_for(cast.part_a), "I", value="10", revision=None, by=cast.head_a
    )
    save_answer(
        services.submission_for(cast.part_a),
        "I",
        value="11",
        revision=first.revision,
        by=cast.head_a,
    )
    response = put(cast.client(cast.editor_a), f"{API}/submissions/{cast.part_a.pk}/answers/I",
                   {"value": "12", "revision": first.revision})  # fmt: skip
    assert response.status_code == 409
    body = response.json()
    assert (body["theirs"]["value"], body["yours"], body["field"]) == ("11", "12", "revision")


@pytest.mark.parametrize("body", [{"revision": None}, {}], ids=["null", "missing"])
def test_a_save_without_the_revision_never_replaces_an_existing_answer(
    cast: Cast, body: dict[str, Any]
) -> None:
    url = f"{API}/submissions/{cast.part_a.pk}/answers/I"
    assert put(cast.client(cast.head_a), url, {"value": "10", "revision": None}).status_code == 200
    response = put(cast.client(cast.editor_a), url, {"value": "12", **body})
    assert response.status_code == 409
    assert (response.json()["theirs"]["value"], response.json()["yours"]) == ("10", "12")
    assert services.submission_for(cast.part_a).answers.get(code="I").value == "10"


def test_of_two_first_saves_of_an_answer_the_second_is_409(cast: Cast) -> None:
    url = f"{API}/submissions/{cast.part_a.pk}/answers/I"
    first = put(cast.client(cast.head_a), url, {"value": "10", "revision": None})
    second = put(cast.client(cast.editor_a), url, {"value": "11", "revision": None})
    assert (first.status_code, second.status_code) == (200, 409)
    assert AuditEntry.objects.filter(code="I").count() == 1


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer", "editor_a", "head_b"])
def test_reading_a_self_assessment_does_not_create_it(cast: Cast, who: str) -> None:
    response = cast.client(getattr(cast, who)).get(f"{API}/submissions/{cast.part_b.pk}")
    assert response.status_code == (404 if who == "editor_a" else 200)
    if response.status_code == 200:
        assert (response.json()["state"], response.json()["answers"]) == ("nothing", [])
    assert not Submission.objects.exists()


def test_a_refused_submit_does_not_create_the_self_assessment(cast: Cast) -> None:
    response = cast.client(cast.editor_a).post(f"{API}/submissions/{cast.part_a.pk}/submit")
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_bad_answer_is_422_naming_the_field(cast: Cast) -> None:
    response = put(cast.client(cast.editor_a), f"{API}/submissions/{cast.part_a.pk}/answers/I",
                   {"value": "14"})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["field"] == "value" and "13" in response.json()["detail"]


def test_unknown_criterion_is_404(cast: Cast) -> None:
    url = f"{API}/submissions/{cast.part_a.pk}/answers/ZZ"
    assert put(cast.client(cast.editor_a), url, {"value": "1"}).status_code == 404


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer"])
def test_followers_cannot_write_or_submit(cast: Cast, who: str) -> None:
    client = cast.client(getattr(cast, who))
    url = f"{API}/submissions/{cast.part_a.pk}"
    assert client.get(url).status_code == 200
    assert put(client, f"{url}/answers/I", {"value": "1"}).status_code == 403
    assert client.post(f"{url}/submit").status_code == 403


def test_only_the_head_submits(cast: Cast) -> None:
    url = f"{API}/submissions/{cast.part_a.pk}/submit"
    assert cast.client(cast.editor_a).post(url).status_code == 403
    response = cast.client(cast.head_a).post(url)
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    answer = put(
        cast.client(cast.editor_a), f"{API}/submissions/{cast.part_a.pk}/answers/I", {"value": "1"}
    )
    assert answer.status_code == 403 and "khóa" in answer.json()["detail"]


@pytest.mark.parametrize("who", ["editor_a", "head_a", "admin", "reviewer"])
def test_evidence_is_listed_and_downloaded_by_its_unit_reviewers_and_assessor(
    cast: Cast, who: str
) -> None:
    evidence = evidence_of(cast, cast.part_a)
    client = cast.client(getattr(cast, who))
    listed = client.get(f"{API}/submissions/{cast.part_a.pk}/evidence").json()
    assert [(e["code"], e["name"]) for e in listed] == [("I", "ke-hoach.pdf")]
    download = client.get(listed[0]["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4\n"  # type: ignore[attr-defined]
    assert evidence.pk == listed[0]["id"]


def test_viewer_cannot_download_evidence(cast: Cast) -> None:
    evidence = evidence_of(cast, cast.part_a)
    assert (
        cast.client(cast.viewer).get(f"{API}/submissions/evidence/{evidence.pk}").status_code == 403
    )


@pytest.mark.parametrize("who", ["editor_a", "head_a"])
def test_member_of_unit_a_gets_404_for_every_call_on_unit_b(cast: Cast, who: str) -> None:
    evidence = evidence_of(cast, cast.part_b)
    client = cast.client(getattr(cast, who))
    url = f"{API}/submissions/{cast.part_b.pk}"
    assert client.get(url).status_code == 404
    assert put(client, f"{url}/answers/I", {"value": "1"}).status_code == 404
    assert client.post(f"{url}/submit").status_code == 404
    assert client.get(f"{url}/evidence").status_code == 404
    assert client.get(f"{API}/submissions/evidence/{evidence.pk}").status_code == 404
    assert not services.submission_for(cast.part_b).answers.exists()


def test_unit_member_gets_404_for_a_cycle_of_other_units(cast: Cast) -> None:
    cast.part_a.delete()
    assert cast.client(cast.editor_a).get(f"{API}/cycles/{cast.cycle.pk}").status_code == 404


def test_writes_need_the_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.editor_a)
    url = f"{API}/submissions/{cast.part_a.pk}/answers/I"
    assert put(client, url, {"value": "1"}).status_code == 403
    client.get("/accounts/login/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.put(url, json.dumps({"value": "1"}), content_type="application/json",
                          HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert response.status_code == 200
