"""Every page and every API call, as every role, against the table of docs/roles.md.

The pages come from Django's URL resolver and the API calls from the OpenAPI schema, so a new
page or call without a row in ``PAGES`` or ``CALLS`` fails here. Each is tried as anonymous,
the assessor, a reviewer, a viewer, and a unit's editor and head, with the ids of three
targets: the editor's own unit in the open cycle (a draft), another unit of that cycle
(submitted, in review round 1, assigned to the reviewer) and a unit of another assessor's
published cycle. Pages are tried with GET and POST, API calls with their method. A GET must
write nothing (not even for a unit that has not opened its form yet); a POST is rolled back
after its answer, so that every request meets the same data.

A cell is the answer in docs/roles.md's terms: ``yes`` (allowed: the page, a redirect after
the action, or the form's own refusal of the posted data), ``403`` (seen but not allowed),
``404`` (not seen), ``login`` (sent to the login page), ``401`` (the API's "log in"), ``405``
(the method is not served). A row gives one cell per actor (anonymous admin reviewer viewer
editor head), for all three targets, or three such groups separated by ``|`` (own unit |
another unit | another cycle) when the targets differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from tests.web.conftest import Cast, make_user
from tests.web.selfassessment.conftest import PDF, upload

from chiso.core import shipped_frameworks
from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import (
    Cycle,
    CycleState,
    Organisation,
    Participation,
    Unit,
    UnitLink,
)
from chiso.web.cycles.services import import_framework
from chiso.web.jobs.models import Job
from chiso.web.jobs.models import Kind as JobKind
from chiso.web.jobs.models import State as JobState
from chiso.web.notifications.models import Kind, Notification
from chiso.web.results import services as results
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Assignment, Response, ResponseFile, Review, Stage
from chiso.web.submissions.models import Evidence, Submission
from chiso.web.submissions.services import (
    add_evidence,
    save_answer,
    submission_for,
    submit,
    upload_signed_scan,
)

ACTORS = ("anonymous", "admin", "reviewer", "viewer", "editor", "head")
TARGETS = ("unit", "other", "cycle")
CODES = {"yes", "403", "404", "405", "login", "401"}


@dataclass(frozen=True)
class Row:
    """What ``pk`` of the URL is, and the expected answers by method."""

    pk: str = ""
    get: str = ""
    post: str = ""
    put: str = ""
    delete: str = ""
    query: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


# --- the table: pages (by URL name) -----------------------------------------------------------
# fmt: off
# the method is not served: a page that reads answers only GET, an action only POST
NOT_SERVED = "login 405 405 405 405 405"
NOT_SERVED_TO_ANYONE = "405 405 405 405 405 405"
PAGES: dict[str, Row] = {
    "home": Row(get="login yes yes yes yes yes", post=NOT_SERVED),
    "favicon": Row(get="yes yes yes yes yes yes", post=NOT_SERVED_TO_ANYONE),  # the site's icon
    "login": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    "logout": Row(get="405 405 405 405 405 405", post="login login login login login login"),  # logged out
    # one's own password: changed by every person; reset by e-mail by anyone (the answer is
    # the same whether the address is known, and a link that is not valid says so)
    "password_change": Row(get="login yes yes yes yes yes", post="login yes yes yes yes yes"),
    "password_change_done": Row(get="login yes yes yes yes yes", post=NOT_SERVED),
    "password_reset": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes",
                          body={"email": "nobody@example.org"}),
    "password_reset_done": Row(get="yes yes yes yes yes yes", post=NOT_SERVED_TO_ANYONE),
    "password_reset_confirm": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    # an invitation's link: like a reset link (a link that is not valid says so)
    "invitation": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    "password_reset_complete": Row(get="yes yes yes yes yes yes", post=NOT_SERVED_TO_ANYONE),
    # one's own notifications: everyone's list and settings; each notification only its person's
    # (the editor's own is the unit target's; another unit's and another cycle's are others')
    "notifications:index": Row(get="login yes yes yes yes yes", post=NOT_SERVED),
    "notifications:read_all": Row(get=NOT_SERVED, post="login yes yes yes yes yes"),
    "notifications:preferences": Row(get="login yes yes yes yes yes", post="login yes yes yes yes yes",
                                     body={"email": "submitted"}),
    "notifications:open": Row("notification", get=NOT_SERVED,
                              post="login 404 404 404 yes 404 | login 404 404 404 404 404 | login 404 404 404 404 404"),
    # the assessor's pages: cycles, dashboard, export, audit trail; new cycle, state, reopen
    "cycles:list": Row(get="login yes 403 yes 404 404", post=NOT_SERVED),
    "cycles:create": Row(get="login yes 403 403 404 404", post="login yes 403 403 404 404"),
    # units and people in bulk: the assessor (its template, its preview and import)
    "cycles:people": Row(get="login yes 403 403 404 404", post="login yes 403 403 404 404"),
    "cycles:people_template": Row(get="login yes 403 403 404 404", post=NOT_SERVED),
    # a checked file's preview and its import: the assessor whose file it is, 404 to all
    # others, like its job (the other cycle's was checked by another assessor's person)
    "cycles:people_job": Row("people_job", get="login yes 404 404 404 404 | login yes 404 404 404 404 | login 404 404 404 404 404",
                             post=NOT_SERVED),
    "cycles:people_apply": Row("people_job", get=NOT_SERVED,
                               post="login yes 404 404 404 404 | login yes 404 404 404 404 | login 404 404 404 404 404"),
    "cycles:framework_upload": Row(get="login yes 403 403 404 404", post="login yes 403 403 404 404"),
    "cycles:framework_example": Row(get="login yes 403 403 404 404", post=NOT_SERVED),
    "cycles:framework_workbook": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:dashboard": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:lineage": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "cycles:crosswalk": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "cycles:audit": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:audit_csv": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:audit_xlsx": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:export_csv": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:export_xlsx": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    # a large cycle's export: its background job
    "cycles:export_prepare": Row("cycle", get=NOT_SERVED, post="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404"),
    "cycles:state": Row("cycle", get="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404",
                        body={"state": "draft", "note": "x"}),
    "cycles:reopen": Row("cycle", get=NOT_SERVED, post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", body={"reason": "x"}),
    # the unit's self-assessment: read by all who see the unit, changed by its own people
    "submissions:form": Row("participation", get="login yes yes yes yes yes | login yes yes yes 404 404 | login 404 404 404 404 404",
                            post=NOT_SERVED),
    "submissions:row": Row("participation", query={"code": "I"},
                           get="login yes yes yes yes yes | login yes yes yes 404 404 | login 404 404 404 404 404",
                           post=NOT_SERVED),
    "submissions:print": Row("participation", get="login yes yes yes yes yes | login yes yes yes 404 404 | login 404 404 404 404 404",
                             post=NOT_SERVED),
    "submissions:save": Row("participation", body={"code": "I", "value": "1", "revision": "0"},
                            get="login 405 405 405 405 405",
                            post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    "submissions:evidence_upload": Row("participation", body={"code": "I"}, get="login 405 405 405 405 405",
                                       post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    "submissions:evidence_remove": Row("participation", get="login 405 405 405 405 405",
                                       post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    # submit: the head only; the form of another unit is not seen
    "submissions:submit": Row("participation", body={"confirm": "on"},
                              get="login 403 403 403 403 yes | login 403 403 403 404 404 | login 404 404 404 404 404",
                              post="login 403 403 403 403 yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    # the signed form: uploaded by the unit once submitted (the own unit's is a draft: the
    # form refuses it), downloaded like evidence (the own unit has none yet: 404)
    "submissions:scan_upload": Row("participation", get="login 405 405 405 405 405",
                                   post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    "submissions:scan_file": Row("participation", get="login 404 404 403 404 404 | login yes yes 403 404 404 | login 404 404 404 404 404",
                                 post=NOT_SERVED),
    # evidence download: not for viewers
    "submissions:evidence_file": Row("participation", get="login yes yes 403 yes yes | login yes yes 403 404 404 | login 404 404 404 404 404",
                                     post=NOT_SERVED),
    # the form as a workbook: downloaded by the unit's people and the assessor; uploaded
    # (a preview) and confirmed by the unit's people only, like an answer
    "submissions:workbook": Row("participation", get="login yes 403 403 yes yes | login yes 403 403 404 404 | login 404 404 404 404 404",
                                post=NOT_SERVED),
    "submissions:workbook_upload": Row("participation", get="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404",
                                       post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    "submissions:workbook_confirm": Row("participation", get="login 405 405 405 405 405",
                                        post="login 403 403 403 yes yes | login 403 403 403 404 404 | login 404 404 404 404 404"),
    # every unit's workbook as one ZIP, and a ZIP sent back, checked then saved on the units'
    # behalf: the assessor
    "cycles:workbooks": Row("cycle", get="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:workbooks_check": Row("cycle", get="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    # a checked ZIP's preview and its saving: the assessor who uploaded it and their
    # assessor's administrators, 404 to all others, like its job
    "cycles:workbooks_job": Row("workbooks_job", get="login yes 404 404 404 404 | login yes 404 404 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "cycles:workbooks_save": Row("workbooks_job", get=NOT_SERVED, post="login yes 404 404 404 404 | login yes 404 404 404 404 | login 404 404 404 404 404"),
    # review rounds and assignments: the assessor; reviewers their queue; viewers read
    "reviews:overview": Row("cycle", get="login yes yes yes 404 404 | login yes yes yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    # self-assessed against verified points: the assessor and viewers
    "reviews:overclaim": Row("cycle", get="login yes 403 yes 404 404 | login yes 403 yes 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    # the next step of the review: its confirmation page (GET) and the step (POST)
    "reviews:stage": Row("cycle", body={"stage": "round_1"}, get="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "reviews:assign": Row("cycle", get=NOT_SERVED, post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "reviews:assign_units": Row("cycle", get=NOT_SERVED, post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "reviews:unit_choices": Row("cycle", query={"unit": "Sở"}, get="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    "reviews:unassign": Row("assignment", get=NOT_SERVED, post="login yes 403 403 404 404 | login yes 403 403 404 404 | login 404 404 404 404 404"),
    "reviews:queue": Row("cycle", query={"reviewer": "{reviewer}"}, get="login yes yes 403 404 404 | login yes yes 403 404 404 | login 404 404 404 404 404", post=NOT_SERVED),
    # the review of a unit: the assessor, and the reviewer of its assignment (another unit)
    "reviews:review": Row("participation", get="login yes 404 404 404 404 | login yes yes 404 404 404 | login 404 404 404 404 404",
                          post=NOT_SERVED),
    # a verdict needs an open round and a submitted unit: only another unit has both
    "reviews:verify": Row("participation", body={"value": "10"}, get="login 405 405 405 405 405",
                          post="login yes 404 404 404 404 | login yes yes 404 404 404 | login 404 404 404 404 404"),
    "reviews:accept": Row("participation", get="login 405 405 405 405 405",
                          post="login 403 404 404 404 404 | login yes yes 404 404 404 | login 404 404 404 404 404"),
    # review results and responses: read by the unit and viewers (closed rounds), the
    # assessor and the unit's reviewers; the unit responds while responses are open (not now)
    "reviews:history": Row("participation", get="login yes 404 yes yes yes | login yes yes yes 404 404 | login 404 404 404 404 404",
                           post=NOT_SERVED),
    # a unit's own self-assessed against verified points: the unit itself, the assessor and viewers
    "reviews:unit_overclaim": Row("participation", get="login yes 403 yes yes yes | login yes 403 yes 404 404 | login 404 404 404 404 404",
                                  post=NOT_SERVED),
    "reviews:respond": Row("participation", body={"text": "x"}, get="login 405 405 405 405 405",
                           post="login 403 404 403 403 403 | login 403 403 403 404 404 | login 404 404 404 404 404"),
    "reviews:evidence": Row("evidence", get="login yes 404 403 yes yes | login yes yes 403 404 404 | login 404 404 404 404 404",
                            post=NOT_SERVED),
    "reviews:response_file": Row("response_file", get="login yes 404 403 yes yes | login yes yes 403 404 404 | login 404 404 404 404 404",
                                 post=NOT_SERVED),
    # results: public once published; the draft for the assessor and viewers only
    "results:index": Row(get="yes yes yes yes yes yes", post=NOT_SERVED_TO_ANYONE),
    "results:cycle": Row("cycle", get="404 yes 404 yes 404 404 | 404 yes 404 yes 404 404 | yes yes yes yes yes yes",
                         post=NOT_SERVED_TO_ANYONE),
    # what the draft pages poll while the draft is computed in the background
    "results:draft_status": Row("cycle", get="404 yes 404 yes 404 404 | 404 yes 404 yes 404 404 | 404 404 404 404 404 404",
                                post=NOT_SERVED_TO_ANYONE),
    "results:chart": Row("cycle", get="404 yes 404 yes 404 404 | 404 yes 404 yes 404 404 | yes yes yes yes yes yes",
                         post=NOT_SERVED_TO_ANYONE),
    "results:document": Row("cycle", get="404 yes 404 yes 404 404 | 404 yes 404 yes 404 404 | yes yes yes yes yes yes",
                            post=NOT_SERVED_TO_ANYONE),
    # a unit's scorecard: the assessor and viewers; after publication reviewers and the unit
    "results:scorecard": Row("cycle", get="login yes 404 yes 404 404 | login yes 404 yes 404 404 | login 404 404 404 404 404",
                             post=NOT_SERVED),
    "results:scorecard_chart": Row("cycle", get="login yes 404 yes 404 404 | login yes 404 yes 404 404 | login 404 404 404 404 404",
                                   post=NOT_SERVED),
    "results:provenance": Row("cycle", get="login yes 404 yes 404 404 | login yes 404 yes 404 404 | login 404 404 404 404 404",
                              post=NOT_SERVED),
    # a draft document not written yet: its background job, for those who see the draft
    "results:prepare_document": Row("cycle", get=NOT_SERVED, post="login yes 404 yes 404 404 | login yes 404 yes 404 404 | login 404 404 404 404 404"),
    "results:publish": Row("cycle", get="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404", post="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404"),
    "results:correct": Row("cycle", get="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404", post="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404"),
    "results:import_previous": Row("cycle", get=NOT_SERVED, post="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404"),
    # making the units' scorecards public (a setting of the cycle): the assessor only
    "results:public_scorecards": Row("cycle", get=NOT_SERVED, post="login yes 403 403 403 403 | login yes 403 403 403 403 | login 404 404 404 404 404",
                                     body={"public": "1", "confirm": "1"}),
    # a background job (a publication, a draft document): the person who started it and the
    # assessor (the own unit's was started by its editor, the other's by the viewer, the other
    # cycle's by the assessor)
    "jobs:job": Row("job", get="login yes 404 404 yes 404 | login yes 404 yes 404 404 | login yes 404 404 404 404",
                    post=NOT_SERVED),
    "jobs:retry": Row("job", get=NOT_SERVED,
                      post="login yes 404 404 yes 404 | login yes 404 yes 404 404 | login yes 404 404 404 404"),
    "jobs:file": Row("job", get="login yes 404 404 yes 404 | login yes 404 yes 404 404 | login yes 404 404 404 404",
                     post=NOT_SERVED),
    # the API's own pages: its schema and documentation
    "api-v1:openapi-json": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    "api-v1:openapi-view": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    # /api/, /api/docs, /api/v1/ …: a redirect to /api/v1/docs (the API's root is behind it)
    "api-docs": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
    "api-v1:api-root": Row(get="yes yes yes yes yes yes", post="yes yes yes yes yes yes"),
}

# --- the table: API calls (by method and path of the OpenAPI schema) --------------------------
CALLS: dict[str, Row] = {
    "GET /api/v1/cycles/": Row(get="401 yes yes yes yes yes"),
    "GET /api/v1/cycles/{cycle_id}": Row(get="401 yes yes yes yes yes | 401 yes yes yes yes yes | 401 404 404 404 404 404"),
    "GET /api/v1/cycles/{cycle_id}/lineage": Row(get="401 yes 403 yes 404 404 | 401 yes 403 yes 404 404 | 401 404 404 404 404 404"),
    "POST /api/v1/cycles/{cycle_id}/lineage/links": Row(
        body={"unit_id": "{unit_id}", "year": 2021, "earlier": "Sở cũ"},
        post="401 yes 403 403 404 404 | 401 yes 403 403 404 404 | 401 404 404 404 404 404"),
    "DELETE /api/v1/cycles/{cycle_id}/lineage/links/{link_id}": Row(
        delete="401 yes 403 403 404 404 | 401 yes 403 403 404 404 | 401 404 404 404 404 404"),
    "PUT /api/v1/cycles/{cycle_id}/lineage/policy": Row(
        body={"merge_policy": "mean"},
        put="401 yes 403 403 404 404 | 401 yes 403 403 404 404 | 401 404 404 404 404 404"),
    "GET /api/v1/submissions/{participation_id}": Row(
        get="401 yes yes yes yes yes | 401 yes yes yes 404 404 | 401 404 404 404 404 404"),
    "PUT /api/v1/submissions/{participation_id}/answers/{code}": Row(
        body={"value": "1", "revision": 0},
        put="401 403 403 403 yes yes | 401 403 403 403 404 404 | 401 404 404 404 404 404"),
    "POST /api/v1/submissions/{participation_id}/submit": Row(
        post="401 403 403 403 403 yes | 401 403 403 403 404 404 | 401 404 404 404 404 404"),
    "GET /api/v1/submissions/{participation_id}/evidence": Row(
        get="401 yes yes yes yes yes | 401 yes yes yes 404 404 | 401 404 404 404 404 404"),
    "GET /api/v1/submissions/evidence/{evidence_id}": Row(
        get="401 yes yes 403 yes yes | 401 yes yes 403 404 404 | 401 404 404 404 404 404"),
    "GET /api/v1/results/": Row(get="yes yes yes yes yes yes"),
    "GET /api/v1/results/{cycle_id}": Row(get="404 404 404 404 404 404 | 404 404 404 404 404 404 | yes yes yes yes yes yes"),
    "GET /api/v1/results/{cycle_id}/units/{unit_id}/provenance": Row(
        get="404 yes 404 yes 404 404 | 404 yes 404 yes 404 404 | 404 404 404 404 404 404"),
}
# fmt: on

# URL names left to Django: the administration (its own permission system) and the language switch
NOT_OURS = ("admin:", "set_language")


# --- the world the table is tried against -----------------------------------------------------


@dataclass
class Target:
    cycle: Cycle
    participation: Participation
    unit: Unit
    submission: Submission | None = None
    evidence: Evidence | None = None
    assignment: Assignment | None = None
    response_file: ResponseFile | None = None
    notification: Notification | None = None
    job: Job | None = None
    people_job: Job | None = None
    workbooks_job: Job | None = None
    link: UnitLink | None = None


def _response_file(participation: Participation, by: Any) -> ResponseFile:
    response = Response.objects.create(participation=participation, code="I", text="Đã bổ sung")
    item = ResponseFile(response=response, name="bo-sung.pdf", content_type="application/pdf",
                        size=len(PDF), sha256="0" * 64, uploaded_by=by)  # fmt: skip
    item.file.save("bo-sung.pdf", ContentFile(PDF), save=True)
    return item


def _filled(participation: Participation, editor: Any, head: Any, *, submitted: bool) -> Target:
    submission = submission_for(participation)
    save_answer(submission, "I", value="10", revision=None, by=editor)
    evidence = add_evidence(submission, "I", upload("ha-tang.pdf", PDF), by=editor)
    if submitted:
        submit(submission, by=head)
        upload_signed_scan(submission, upload("phieu.pdf", PDF), by=head)
    return Target(
        participation.cycle,
        participation,
        participation.unit,
        submission,
        evidence,
        response_file=_response_file(participation, editor),
    )


@pytest.fixture
def world(cast: Cast) -> dict[str, Target]:
    reviewer_2 = make_user("reviewer_2", Role.REVIEWER)
    own = _filled(cast.part_a, cast.editor_a, cast.head_a, submitted=False)
    other = _filled(cast.part_b, cast.editor_b, cast.head_b, submitted=True)
    Review.objects.create(cycle=cast.cycle, stage=Stage.ROUND_1)
    own.assignment = reviews.assign(
        cast.cycle, reviewer_2, participation=cast.part_a, by=cast.admin
    )
    other.assignment = reviews.assign(
        cast.cycle, cast.reviewer, participation=cast.part_b, by=cast.admin
    )
    # another assessor's cycle, published
    organisation = Organisation.objects.create(name="Sở TT&TT tỉnh Phú Yên", place="Tuy Hòa")
    source = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
    version = import_framework(organisation, source, source_name="binh-dinh-2021.yaml")
    cycle = Cycle.objects.create(organisation=organisation, name="Đánh giá năm 2021", year=2021,
                                 framework=version, state=CycleState.OPEN)  # fmt: skip
    unit = Unit.objects.create(organisation=organisation, name="Sở Tư pháp tỉnh Phú Yên")
    participation = Participation.objects.create(cycle=cycle, unit=unit, block="so")
    people = [make_user(f"{role}_c", role, unit) for role in (Role.EDITOR, Role.HEAD)]
    elsewhere = _filled(participation, *people, submitted=True)
    elsewhere.assignment = reviews.assign(cycle, reviewer_2, participation=participation,
                                          by=cast.admin)  # fmt: skip
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.UNDER_REVIEW)
    results.publish(Cycle.objects.get(pk=cycle.pk), by=cast.admin)
    elsewhere.cycle.refresh_from_db()
    nothing = Target(cast.cycle, cast.district, cast.district.unit)  # has not opened its form
    for target, person in ((own, cast.editor_a), (other, cast.editor_b), (elsewhere, people[0])):
        target.notification = Notification.objects.create(
            person=person, kind=Kind.SUBMITTED, text="x", link="/"
        )
    for target, person in ((own, cast.editor_a), (other, cast.viewer), (elsewhere, cast.admin)):
        target.job = Job.objects.create(kind=JobKind.EXPORT, cycle_pk=target.cycle.pk,
                                        started_by=person, task="x", state=JobState.DONE,
                                        file=ContentFile(b"unit\n", name="export.csv"))  # fmt: skip
    for target, person in ((own, cast.admin), (other, cast.admin), (elsewhere, people[0])):
        target.people_job = Job.objects.create(
            kind=JobKind.PEOPLE_CHECK, started_by=person, task="x", state=JobState.DONE,
            params={"organisation": person.organisation_id, "name": "p.csv"},
            report={"source": "p.csv"}, file=ContentFile(b"email,role\n", name="p.csv"),
        )  # fmt: skip
        target.workbooks_job = Job.objects.create(
            kind=JobKind.WORKBOOKS_CHECK, cycle_pk=target.cycle.pk, started_by=person, task="x",
            state=JobState.DONE, params={"name": "back.zip"}, report={"found": [], "units": []},
        )  # fmt: skip
    for target in (own, other, elsewhere):
        target.link = UnitLink.objects.create(unit=target.unit, year=2021, earlier="Sở tiền thân")
    return {"unit": own, "other": other, "cycle": elsewhere, "nothing": nothing}


# --- enumerating the pages and the calls ------------------------------------------------------


def _patterns(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace or ""
            inner = inner if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, prefix + str(entry.pattern)


def _calls(cast: Cast) -> dict[str, str]:
    schema = cast.client(cast.admin).get("/api/v1/openapi.json").json()
    return {
        f"{method.upper()} {path}": path
        for path, operations in schema["paths"].items()
        for method in operations
    }


def _pages(calls: dict[str, str]) -> dict[str, str]:
    """Every URL pattern (name → route), without Django's own and the API calls' patterns."""
    api_paths = {re.sub(r"\{(\w+)\}", r"<\1>", path) for path in calls.values()}
    pages = {}
    for name, route in _patterns(get_resolver().url_patterns):
        if name.startswith(NOT_OURS):
            continue
        plain = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)
        if plain not in api_paths:
            pages[name] = route
    return pages


# --- trying one request -----------------------------------------------------------------------


def _ids(target: Target, row: Row, cast: Cast) -> dict[str, Any]:
    def pk(found: Any) -> Any:
        return found.pk if found is not None else None

    return {
        "pk": pk(getattr(target, row.pk)) if row.pk else None,
        "cycle_id": target.cycle.pk,
        "participation_id": target.participation.pk,
        "evidence_pk": pk(target.evidence),
        "evidence_id": pk(target.evidence),
        "link_id": pk(target.link),
        "submission_pk": pk(target.submission),
        "unit_pk": target.unit.pk,
        "unit_id": target.unit.pk,
        "code": "I",
        "group": "I",
        "key": "tiers-so",
        "fmt": "xlsx",
        "reviewer": cast.reviewer.pk,
        "uidb64": "MQ",  # a password-reset link that is not valid
        "token": "set-password",
    }


def _url(route: str, ids: dict[str, Any]) -> str | None:
    """The route with the target's ids; None when the target has no such object."""
    names = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", route)]
    if any(ids[name] is None for name in names):
        return None
    filled = re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: str(ids[m[1] or m[2]]), route)
    return filled if filled.startswith("/") else "/" + filled


def _outcome(response: Any) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    if status in (401, 403, 404, 405):
        return str(status)
    return "yes"


WRITES = re.compile(r'^\s*(INSERT|UPDATE|DELETE)\b(?!.*"(django_session|chiso_cache)")', re.S)


def _try(
    client: Client, method: str, url: str, row: Row, ids: dict[str, Any]
) -> tuple[str, list[str]]:
    """The answer in the table's terms, and what a GET wrote; a POST, PUT or DELETE is rolled back."""
    query = {key: value.format(**ids) for key, value in row.query.items()}
    if method == "GET":
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        writes = [q["sql"][:80] for q in queries.captured_queries if WRITES.match(q["sql"])]
        return _outcome(response), writes
    if query:
        url += "?" + urlencode(query)
    with transaction.atomic():
        if url.startswith("/api/"):
            body = {key: value.format(**ids) if isinstance(value, str) else value
                    for key, value in row.body.items()}  # fmt: skip
            response = client.generic(method, url, json.dumps(body), "application/json")
        else:
            response = client.post(url, row.body)
        transaction.set_rollback(True)
    return _outcome(response), []


def _methods(row: Row) -> tuple[tuple[str, str], ...]:
    return (("GET", row.get), ("POST", row.post), ("PUT", row.put), ("DELETE", row.delete))


def _expected(cells: str, actor: str, target: str) -> str:
    groups = [group.split() for group in cells.split("|")]
    group = groups[TARGETS.index(target)] if len(groups) == 3 else groups[0]
    return group[ACTORS.index(actor)]


# --- the tests --------------------------------------------------------------------------------


def test_every_page_and_call_has_a_row(cast: Cast) -> None:
    calls = _calls(cast)
    pages = _pages(calls)
    missing = [name for name in pages if name not in PAGES] + [c for c in calls if c not in CALLS]
    stale = [name for name in PAGES if name not in pages] + [c for c in CALLS if c not in calls]
    assert not missing, (
        f"add a row for {missing} to the table of tests/web/test_access_matrix.py (and to docs/roles.md)"
    )
    assert not stale, f"rows without a page or call: {stale}"
    for key, row in {**PAGES, **CALLS}.items():
        for cells in (row.get, row.post, row.put, row.delete):
            for group in filter(None, cells.split("|")):
                assert len(group.split()) == len(ACTORS) and set(group.split()) <= CODES, key


def test_every_role_gets_what_docs_roles_md_allows_and_reads_write_nothing(
    cast: Cast, world: dict[str, Target]
) -> None:
    calls = _calls(cast)
    users = {"anonymous": None, "admin": cast.admin, "reviewer": cast.reviewer,
             "viewer": cast.viewer, "editor": cast.editor_a, "head": cast.head_a}  # fmt: skip
    clients = {actor: cast.client(user) for actor, user in users.items()}
    routes = {**{name: (route, PAGES[name]) for name, route in _pages(calls).items()},
              **{key: (calls[key], CALLS[key]) for key in calls}}  # fmt: skip
    answers: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    wrong, writes = [], []
    for cycle in {target.cycle for target in world.values()}:
        results.compute(cycle)  # a draft page that finds none starts the job computing it
    for key, (route, row) in routes.items():
        for method, cells in _methods(row):
            # a unit that has not opened its form yet: only that reading creates nothing
            targets = (*TARGETS, "nothing") if method == "GET" else TARGETS
            for target in filter(lambda _: cells, targets):
                ids = _ids(world[target], row, cast)
                url = _url(route, ids)
                for actor in ACTORS if url else ():
                    if (method, url, actor) not in answers:
                        client = clients[actor]
                        if key == "logout":  # a client of its own, to keep the others' sessions
                            client = cast.client(users[actor])
                        answers[method, url, actor] = _try(client, method, url, row, ids)
                    got, written = answers[method, url, actor]
                    expected = _expected(cells, actor, target) if target in TARGETS else got
                    if got != expected:
                        wrong.append(f"{method} {url} ({key}) as {actor} on the {target} target: "
                                     f"{got}, the table says {expected}")  # fmt: skip
                    writes += [f"GET {url} as {actor} wrote: {sql}" for sql in written]
    assert not writes, "\n".join(writes)
    assert not wrong, "\n".join(wrong)


def test_another_assessor_s_people_are_not_shown_that_anything_exists(
    cast: Cast, world: dict[str, Target]
) -> None:
    """The third target's assessor has its own administrator, reviewer, viewer, editor and
    head: on every page and call of the first assessor's units that is not public, each gets
    404 (the method not served aside)."""
    organisation = world["cycle"].cycle.organisation
    outsiders = [make_user(f"{role}_c", role, organisation=organisation)
                 for role in (Role.ADMIN, Role.REVIEWER, Role.VIEWER)]  # fmt: skip
    outsiders += [User.objects.get(username=f"{role}_c") for role in (Role.EDITOR, Role.HEAD)]
    clients = [cast.client(person) for person in outsiders]
    calls = _calls(cast)
    routes = {**{name: (route, PAGES[name]) for name, route in _pages(calls).items()},
              **{key: (calls[key], CALLS[key]) for key in calls}}  # fmt: skip
    wrong = []
    for key, (route, row) in routes.items():
        if not row.pk and "{" not in key:
            continue  # a page of no assessor's object (lists are checked in test_assessors.py)
        for method, cells in _methods(row):
            for target in filter(lambda _: cells, ("unit", "other")):
                ids = _ids(world[target], row, cast)
                url = _url(route, ids)
                public = _expected(cells, "anonymous", target) == "yes"
                if url is None or public or _expected(cells, "admin", target) == "405":
                    continue
                for person, client in zip(outsiders, clients, strict=True):
                    got, _written = _try(client, method, url, row, ids)
                    if got != "404":
                        wrong.append(f"{method} {url} ({key}) as {person.username}: {got}")
    assert not wrong, "\n".join(wrong)


# the units' scorecards made public: every scorecard of a published cycle is everyone's; a
# cycle not yet published keeps them to the rows above (the setting waits for publication)
PUBLIC_SCORECARDS = {
    "results:scorecard": "login yes 404 yes 404 404 | login yes 404 yes 404 404 | yes yes yes yes yes yes",
    "results:scorecard_chart": "login yes 404 yes 404 404 | login yes 404 yes 404 404 | yes yes yes yes yes yes",
    "results:provenance": "login yes 404 yes 404 404 | login yes 404 yes 404 404 | yes yes yes yes yes yes",
}  # fmt: skip


def test_public_scorecards_are_everyones_once_published_and_not_before(
    cast: Cast, world: dict[str, Target]
) -> None:
    Cycle.objects.filter(pk__in=[cast.cycle.pk, world["cycle"].cycle.pk]).update(
        public_scorecards=True
    )
    users = {"anonymous": None, "admin": cast.admin, "reviewer": cast.reviewer,
             "viewer": cast.viewer, "editor": cast.editor_a, "head": cast.head_a}  # fmt: skip
    routes = dict(_pages(_calls(cast)))
    wrong = []
    results.compute(cast.cycle)  # a draft page that finds none starts the job computing it
    for key, cells in PUBLIC_SCORECARDS.items():
        for target in TARGETS:
            url = _url(routes[key], _ids(world[target], PAGES[key], cast))
            assert url is not None
            for actor in ACTORS:
                got, written = _try(cast.client(users[actor]), "GET", url, PAGES[key], {})
                if got != _expected(cells, actor, target) or written:
                    wrong.append(f"GET {url} as {actor}: {got} {written}")
    assert not wrong, "\n".join(wrong)
