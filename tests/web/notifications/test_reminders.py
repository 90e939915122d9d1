"""``manage.py send_reminders`` with a frozen clock: the units that have not submitted are
reminded 7 days and 1 day before the deadline (30/10/2021), each reminder once, none after
the deadline; days are counted in the site's time zone (Asia/Ho_Chi_Minh, UTC+7)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from tests.web.conftest import Cast
from tests.web.notifications.conftest import mailed, told

from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.notifications.models import Kind, Notification
from chiso.web.settings import _reminder_days
from chiso.web.submissions.models import Reminder
from chiso.web.submissions.services import submission_for, submit

Committed = Callable[[], AbstractContextManager[Any]]
UTC = datetime.UTC
UNIT_A = {"editor_a", "head_a"}


def run(at: datetime.datetime, *args: str) -> str:
    """The command's output, run at the instant ``at`` (UTC)."""
    out = io.StringIO()
    with mock.patch("django.utils.timezone.now", return_value=at):
        call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def local(day: int, hour: int = 8) -> datetime.datetime:
    """``hour`` o'clock on ``day`` October 2021 in Quy Nhơn, as UTC."""
    return datetime.datetime(2021, 10, day, hour, tzinfo=UTC) - datetime.timedelta(hours=7)


@pytest.fixture
def b_submitted(people: Cast) -> Cast:
    submit(submission_for(people.part_b), by=people.head_b)
    submission_for(people.part_a)  # unit A has a draft
    Notification.objects.all().delete()
    return people


def test_seven_days_before_the_units_not_submitted_are_reminded(
    b_submitted: Cast, committed: Committed
) -> None:
    with committed():
        out = run(local(23))
    assert told(Kind.DEADLINE) == UNIT_A  # unit B submitted; the district has nobody to tell
    assert mailed() == UNIT_A
    notice = Notification.objects.get(person=b_submitted.head_a)
    assert notice.text == (
        "Sở Tư pháp chưa nộp tự đánh giá trong “Đánh giá năm 2021”: hạn nộp là 30/10/2021, "
        "còn 7 ngày."
    )
    assert notice.link == f"/submissions/{b_submitted.part_a.pk}/"
    assert out.splitlines() == [
        "Đánh giá năm 2021 · Sở Tư pháp · trước hạn 30/10/2021 7 ngày · 2 người",
        "Đánh giá năm 2021 · UBND huyện An Lão · trước hạn 30/10/2021 7 ngày · 0 người",
        "23/10/2021: đã gửi 2 lời nhắc.",
    ]
    assert set(Reminder.objects.values_list("unit__name", "days_before")) == {
        ("Sở Tư pháp", 7),
        ("UBND huyện An Lão", 7),
    }


def test_run_twice_sends_once(b_submitted: Cast, committed: Committed) -> None:
    run(local(23, 6))
    with committed():
        out = run(local(23, 18))
    assert out.splitlines() == ["23/10/2021: đã gửi 0 lời nhắc."]
    assert not mail.outbox
    assert Notification.objects.filter(kind=Kind.DEADLINE).count() == 2


def test_between_the_reminders_nothing_then_one_day_before_again(
    b_submitted: Cast, committed: Committed
) -> None:
    run(local(23))
    for day in (24, 25, 26, 27, 28):
        assert "đã gửi 0 lời nhắc" in run(local(day))
    with committed():
        out = run(local(29))
    assert mailed() == UNIT_A
    assert "Sở Tư pháp · trước hạn 30/10/2021 1 ngày · 2 người" in out
    texts = Notification.objects.filter(person=b_submitted.editor_a).values_list("text", flat=True)
    assert sorted(text.rsplit(", ", 1)[-1] for text in texts) == ["còn 1 ngày.", "còn 7 ngày."]
    assert run(local(29, 20)).splitlines() == ["29/10/2021: đã gửi 0 lời nhắc."]


def test_nothing_after_the_deadline_or_before_the_first_reminder(
    b_submitted: Cast, committed: Committed
) -> None:
    with committed():
        run(local(31))
        run(local(22))
        run(datetime.datetime(2021, 11, 15, tzinfo=UTC))
    assert not Notification.objects.exists() and not mail.outbox
    assert not Reminder.objects.exists()


def test_the_day_is_the_local_one(b_submitted: Cast) -> None:
    # 16:30 UTC on the 22nd is 23:30 in Quy Nhơn: still 8 days before
    assert "0 lời nhắc" in run(datetime.datetime(2021, 10, 22, 16, 30, tzinfo=UTC))
    # 17:30 UTC on the 22nd is 00:30 on the 23rd: 7 days before
    assert "23/10/2021: đã gửi 2 lời nhắc." in run(
        datetime.datetime(2021, 10, 22, 17, 30, tzinfo=UTC)
    )


def test_a_missed_day_is_made_up_by_the_next_run(b_submitted: Cast) -> None:
    out = run(local(26))
    assert "Sở Tư pháp · trước hạn 30/10/2021 7 ngày" in out
    notice = Notification.objects.get(person=b_submitted.editor_a)
    assert notice.text.endswith("hạn nộp là 30/10/2021, còn 4 ngày.")
    assert "Sở Tư pháp · trước hạn 30/10/2021 1 ngày" in run(local(30))
    notice = Notification.objects.filter(person=b_submitted.editor_a).first()
    assert notice is not None and notice.text.endswith("hạn nộp là hôm nay, 30/10/2021.")


def test_dry_run_says_what_is_due_and_sends_nothing(
    b_submitted: Cast, committed: Committed
) -> None:
    with committed():
        out = run(local(23), "--dry-run")
    assert out.splitlines()[-1] == "23/10/2021: 2 lời nhắc đến hạn, chưa gửi (chạy thử)."
    assert "Sở Tư pháp · trước hạn 30/10/2021 7 ngày · 2 người" in out
    assert not Notification.objects.exists() and not Reminder.objects.exists()
    assert not mail.outbox


def test_only_open_cycles_are_reminded(b_submitted: Cast) -> None:
    Cycle.objects.filter(pk=b_submitted.cycle.pk).update(state=CycleState.UNDER_REVIEW)
    assert "0 lời nhắc" in run(local(29))


def test_the_days_are_a_setting(b_submitted: Cast, settings: Any) -> None:
    settings.CHISO_REMINDER_DAYS = [3]
    assert "0 lời nhắc" in run(local(23))
    assert "Sở Tư pháp · trước hạn 30/10/2021 3 ngày" in run(local(27))


def test_the_days_setting_is_read_as_whole_numbers() -> None:
    assert _reminder_days(" 1, 7,,14 ,7") == [14, 7, 1]
    assert _reminder_days("") == []


@pytest.mark.parametrize("value", ["²", "7,²", "1.5", "-1", "٣", "7;1", "seven"])
def test_days_not_whole_numbers_are_a_clear_configuration_error(value: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"CHISO_REMINDER_DAYS=.*whole number"):
        _reminder_days(value)


def test_email_off_for_reminders_keeps_the_notification(
    b_submitted: Cast, committed: Committed
) -> None:
    b_submitted.client(b_submitted.head_a).post(
        "/notifications/settings/", {"email": [k.value for k in Kind if k != Kind.DEADLINE]}
    )
    with committed():
        run(local(23))
    assert told(Kind.DEADLINE) == UNIT_A
    assert mailed() == {"editor_a"}
