"""Each event of a cycle notifies the people it concerns, and nobody else: a notification in
the site and its e-mail, sent only once the action commits."""

from __future__ import annotations

import datetime
import smtplib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from tests.web.conftest import Cast, run_jobs
from tests.web.notifications.conftest import mailed, told
from tests.web.reviews.conftest import ANSWERS_A, ANSWERS_B, fill

from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.services import change_state
from chiso.web.notifications import services as notification_services
from chiso.web.notifications.models import Kind, Notification
from chiso.web.notifications.services import set_emails
from chiso.web.results import services as results
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.submissions.services import NotAllowed, reopen, submission_for, submit

Committed = Callable[[], AbstractContextManager[Any]]
UNIT_A = {"editor_a", "head_a"}
UNITS = {"editor_a", "head_a", "editor_b", "head_b"}


def test_opening_a_cycle_tells_each_units_people_and_nobody_else(
    people: Cast, committed: Committed
) -> None:
    Cycle.objects.filter(pk=people.cycle.pk).update(state=CycleState.DRAFT)
    with committed():
        change_state(people.cycle, CycleState.OPEN, by=people.admin)
    assert told(Kind.CYCLE_OPENED) == UNITS
    assert mailed() == UNITS
    notice = Notification.objects.get(person=people.editor_a)
    assert notice.link == f"/submissions/{people.part_a.pk}/"
    assert notice.text == (
        "Đã mở tự đánh giá của Sở Tư pháp trong “Đánh giá năm 2021”: hạn nộp là 30/10/2021."
    )
    [message] = [m for m in mail.outbox if m.to == ["editor_a@example.org"]]
    assert message.subject == "[chiso] Mở tự đánh giá"
    assert notice.text in message.body
    assert f"http://127.0.0.1:8000/submissions/{people.part_a.pk}/" in message.body
    assert "Kính gửi Editor_A," in message.body
    html = message.alternatives[0].content
    assert "Xem trên trang" in html and notice.text in html


def test_moving_an_open_cycle_back_to_draft_tells_nobody(
    people: Cast, committed: Committed
) -> None:
    with committed():
        change_state(people.cycle, CycleState.DRAFT, by=people.admin)
    assert not Notification.objects.exists() and not mail.outbox


def test_submitting_tells_the_units_people_and_the_assessor(
    people: Cast, committed: Committed
) -> None:
    with committed():
        submit(submission_for(people.part_a), by=people.head_a)
    assert told(Kind.SUBMITTED) == {*UNIT_A, "admin"}
    assert mailed() == {*UNIT_A, "admin"}
    assert Notification.objects.filter(link=f"/submissions/{people.part_a.pk}/").count() == 3


def test_reopening_tells_the_unit_with_the_reason(people: Cast, committed: Committed) -> None:
    submission = submit(submission_for(people.part_a), by=people.head_a)
    with committed():
        reopen(submission, reason="Thiếu minh chứng <tiêu chí III> & ký", by=people.admin)
    assert told(Kind.REOPENED) == UNIT_A
    assert mailed() == UNIT_A
    notice = Notification.objects.filter(kind=Kind.REOPENED).first()
    assert notice is not None and notice.text.endswith(": Thiếu minh chứng <tiêu chí III> & ký")
    # the text part as written, the HTML part escaped
    assert "Thiếu minh chứng <tiêu chí III> & ký" in mail.outbox[0].body
    html = mail.outbox[0].alternatives[0].content
    assert "Thiếu minh chứng &lt;tiêu chí III&gt; &amp; ký" in html


def test_the_e_mails_are_sent_by_the_worker_not_in_the_request(
    people: Cast, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    submission = submit(submission_for(people.part_a), by=people.head_a)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(submission, reason="Thiếu minh chứng", by=people.admin)
    assert told(Kind.REOPENED) == UNIT_A and not mail.outbox  # queued, not sent
    assert run_jobs() == 1  # one task for the event's e-mails
    assert mailed() == UNIT_A


def test_email_turned_off_for_a_kind_leaves_the_notification(
    people: Cast, committed: Committed
) -> None:
    set_emails(people.editor_a, [kind for kind in Kind if kind != Kind.SUBMITTED])
    with committed():
        submit(submission_for(people.part_a), by=people.head_a)
    assert told(Kind.SUBMITTED) == {*UNIT_A, "admin"}
    assert mailed() == {"head_a", "admin"}
    # other kinds still come by e-mail
    with committed():
        reopen(submission_for(people.part_a), reason="Bổ sung", by=people.admin)
    assert mailed() == UNIT_A


def test_a_person_without_an_address_is_notified_in_the_site_only(
    people: Cast, committed: Committed
) -> None:
    people.head_a.email = ""
    people.head_a.save(update_fields=["email"])
    with committed():
        submit(submission_for(people.part_a), by=people.head_a)
    assert told(Kind.SUBMITTED) == {*UNIT_A, "admin"}
    assert mailed() == {"editor_a", "admin"}


def test_an_inactive_person_is_not_notified(people: Cast, committed: Committed) -> None:
    people.editor_a.is_active = False
    people.editor_a.save(update_fields=["is_active"])
    with committed():
        submit(submission_for(people.part_a), by=people.head_a)
    assert told(Kind.SUBMITTED) == {"head_a", "admin"}


def test_a_rolled_back_action_notifies_nobody(people: Cast, committed: Committed) -> None:
    class Undone(Exception):
        pass

    with committed(), pytest.raises(Undone), transaction.atomic():
        submit(submission_for(people.part_a), by=people.head_a)
        assert told(Kind.SUBMITTED)  # inside the transaction, before it is undone
        raise Undone
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_a_refused_action_notifies_nobody(people: Cast, committed: Committed) -> None:
    with committed(), pytest.raises(NotAllowed):
        submit(submission_for(people.part_a), by=people.editor_a)  # only the head submits
    assert not Notification.objects.exists() and not mail.outbox


# --- the review ---------------------------------------------------------------------------


@pytest.fixture
def submitted(people: Cast) -> Cast:
    fill(people, people.part_a, ANSWERS_A, people.editor_a, people.head_a)
    fill(people, people.part_b, ANSWERS_B, people.editor_b, people.head_b)
    reviews.assign(people.cycle, people.reviewer, participation=people.part_a, by=people.admin)
    Notification.objects.all().delete()
    return people


def _deadline() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=7)


def test_opening_round_1_tells_the_units_and_the_review_team(
    submitted: Cast, committed: Committed
) -> None:
    with committed():
        reviews.change_stage(submitted.cycle, Stage.ROUND_1, by=submitted.admin)
    assert told(Kind.ROUND) == {*UNITS, "reviewer"}
    assert mailed() == {*UNITS, "reviewer"}
    assert Notification.objects.get(person=submitted.reviewer).link == (
        f"/reviews/cycle/{submitted.cycle.pk}/"
    )
    assert Notification.objects.get(person=submitted.head_b).link == (
        f"/reviews/unit/{submitted.part_b.pk}/history/"
    )
    # the cycle went under review on the way: a change of state that tells no unit more
    assert set(Notification.objects.values_list("kind", flat=True)) == {Kind.ROUND}


def test_closing_round_1_tells_the_units_and_asks_only_some_for_evidence(
    submitted: Cast, committed: Committed
) -> None:
    reviews.change_stage(submitted.cycle, Stage.ROUND_1, by=submitted.admin)
    reviews.save_verdict(
        submitted.part_a, "III", value="5", evidence_requested=True, revision=None,
        by=submitted.reviewer,
    )  # fmt: skip
    reviews.save_verdict(submitted.part_a, "I", value="13", revision=None, by=submitted.reviewer)
    Notification.objects.all().delete()
    deadline = _deadline()
    with committed():
        reviews.change_stage(
            submitted.cycle, Stage.RESPONSES, by=submitted.admin, response_deadline=deadline
        )
    assert told(Kind.ROUND) == {*UNITS, "reviewer"}
    assert told(Kind.EVIDENCE_REQUESTED) == UNIT_A
    notice = Notification.objects.get(person=submitted.editor_a, kind=Kind.EVIDENCE_REQUESTED)
    assert "bổ sung minh chứng cho III trong" in notice.text
    assert deadline.strftime("%d/%m/%Y") in notice.text
    assert notice.link == f"/reviews/unit/{submitted.part_a.pk}/history/"
    assert sorted(m.to[0] for m in mail.outbox).count("editor_a@example.org") == 2


def test_a_response_tells_the_units_reviewer_and_the_assessor_once_until_read(
    submitted: Cast, committed: Committed
) -> None:
    reviews.change_stage(submitted.cycle, Stage.ROUND_1, by=submitted.admin)
    reviews.change_stage(
        submitted.cycle, Stage.RESPONSES, by=submitted.admin, response_deadline=_deadline()
    )
    Notification.objects.all().delete()
    with committed():
        reviews.respond(submitted.part_a, "III", text="Đã bổ sung", by=submitted.editor_a)
    assert told(Kind.RESPONSE) == {"reviewer", "admin"}
    assert mailed() == {"reviewer", "admin"}
    assert Notification.objects.get(person=submitted.reviewer).link == (
        f"/reviews/unit/{submitted.part_a.pk}/"
    )
    # unit B has no reviewer: only the assessor hears of its response
    with committed():
        reviews.respond(submitted.part_b, "I", text="Giải trình", by=submitted.editor_b)
    assert mailed() == {"admin"}
    # a second response of unit A while the first notice is unread: nobody is told again
    with committed():
        reviews.respond(submitted.part_a, "I", text="Thêm", by=submitted.editor_a)
    assert not mail.outbox
    assert Notification.objects.filter(kind=Kind.RESPONSE).count() == 3


def test_publishing_tells_everyone_of_the_cycles_units(
    submitted: Cast, committed: Committed
) -> None:
    Cycle.objects.filter(pk=submitted.cycle.pk).update(state=CycleState.UNDER_REVIEW)
    with committed():
        results.publish(Cycle.objects.get(pk=submitted.cycle.pk), by=submitted.admin)
    assert told(Kind.PUBLISHED) == UNITS
    assert mailed() == UNITS
    notice = Notification.objects.get(person=submitted.editor_b)
    assert notice.link == f"/results/{submitted.cycle.pk}/units/{submitted.unit_b.pk}/"
    assert "Sở Y tế" in notice.text


def test_a_long_reason_is_cut_to_the_notifications_length(
    people: Cast, committed: Committed
) -> None:
    submission = submit(submission_for(people.part_a), by=people.head_a)
    with committed():
        reopen(submission, reason="Thiếu " * 300, by=people.admin)
    notice = Notification.objects.filter(kind=Kind.REOPENED).first()
    assert notice is not None and len(notice.text) == 1000 and notice.text.endswith("…")


class DownBackend(BaseEmailBackend):
    """A mail server that cannot be reached: each try to connect is counted, and fails."""

    tries = 0

    def open(self) -> bool:
        DownBackend.tries += 1
        raise ConnectionRefusedError("the mail server is down")

    def send_messages(self, email_messages: Any) -> int:
        self.open()
        return 0


class DroppingBackend(BaseEmailBackend):
    """A mail server that opens, takes the first message, then drops the connection."""

    sent = 0

    def send_messages(self, email_messages: Any) -> int:
        if DroppingBackend.sent:
            DroppingBackend.sent += 1
            raise smtplib.SMTPServerDisconnected("connection lost")
        DroppingBackend.sent += 1
        return len(email_messages)


@pytest.fixture
def mail_server_back() -> Iterator[None]:
    DownBackend.tries = DroppingBackend.sent = 0
    yield
    notification_services._mail_down_until = 0.0


def test_a_mail_server_down_is_tried_once_and_the_publication_stays(
    submitted: Cast, committed: Committed, settings: Any, mail_server_back: None
) -> None:
    """Publishing tells each unit in its own event: with the server down, one try in all,
    not one per e-mail (each would wait for the time-out in the request)."""
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DownBackend"}}
    Cycle.objects.filter(pk=submitted.cycle.pk).update(state=CycleState.UNDER_REVIEW)
    with committed() as callbacks:
        results.publish(Cycle.objects.get(pk=submitted.cycle.pk), by=submitted.admin)
    assert len(callbacks) >= 2  # one event per unit
    assert DownBackend.tries == 1
    assert Cycle.objects.get(pk=submitted.cycle.pk).state == CycleState.PUBLISHED
    assert told(Kind.PUBLISHED) == UNITS


def test_a_connection_lost_stops_the_event_s_e_mails(
    submitted: Cast, committed: Committed, settings: Any, mail_server_back: None
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.DroppingBackend"}}
    with committed():
        reviews.change_stage(submitted.cycle, Stage.ROUND_1, by=submitted.admin)
    assert DroppingBackend.sent == 2  # the first e-mail, then one failure, then no more
    assert told(Kind.ROUND) == {*UNITS, "reviewer"}
