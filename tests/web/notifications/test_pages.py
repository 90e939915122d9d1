"""One's notifications in the site: the bell's count (one query), the list, opening one (read,
then its page), all read, and the e-mail settings — each person only their own."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import Cast

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.notifications.models import EmailOff, Kind, Notification
from chiso.web.notifications.services import notify


def _notice(
    person: object, text: str = "Sở Tư pháp đã nộp", link: str = "/results/"
) -> Notification:
    return Notification.objects.create(person=person, kind=Kind.SUBMITTED, text=text, link=link)


def test_the_bell_counts_ones_unread_notifications_in_one_query(cast: Cast) -> None:
    for _ in range(3):
        _notice(cast.editor_a)
    read = _notice(cast.editor_a)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    _notice(cast.head_a)
    client = cast.client(cast.editor_a)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/results/")
    counted = [q for q in queries.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counted) == 1
    html = page.content.decode()
    assert 'class="bell">Thông báo <span class="count" title="chưa đọc">3</span>' in html


def test_the_bell_without_unread_shows_no_count(cast: Cast) -> None:
    html = cast.client(cast.viewer).get("/results/").content.decode()
    assert 'class="bell">Thông báo</a>' in html


def test_the_list_shows_only_ones_own_newest_first(cast: Cast) -> None:
    _notice(cast.editor_a, "thứ nhất")
    _notice(cast.editor_a, "thứ hai")
    _notice(cast.editor_b, "của đơn vị khác")
    page = cast.client(cast.editor_a).get("/notifications/")
    html = page.content.decode()
    assert html.index("thứ hai") < html.index("thứ nhất")
    assert "của đơn vị khác" not in html
    assert "Đánh dấu đã đọc tất cả" in html


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(cast: Cast) -> None:
    notice = _notice(cast.editor_a, link="/results/")
    response = cast.client(cast.editor_a).post(f"/notifications/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/results/"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_person_cannot_open_or_read_anothers_notification(cast: Cast) -> None:
    notice = _notice(cast.editor_a)
    for other in (cast.head_a, cast.admin, cast.editor_b):
        assert cast.client(other).post(f"/notifications/{notice.pk}/open/").status_code == 404
    cast.client(cast.head_a).post("/notifications/read/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_a_link_to_another_site_is_not_followed(cast: Cast) -> None:
    notice = _notice(cast.editor_a, link="https://example.com/")
    response = cast.client(cast.editor_a).post(f"/notifications/{notice.pk}/open/")
    assert response["Location"] == "/notifications/"


def test_mark_all_read(cast: Cast) -> None:
    for _ in range(2):
        _notice(cast.editor_a)
    other = _notice(cast.editor_b)
    response = cast.client(cast.editor_a).post("/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(person=cast.editor_a, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_email_settings_turn_kinds_off_and_on_and_are_audited(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    page = client.get("/notifications/settings/")
    assert page.content.decode().count('type="checkbox"') == len(Kind)
    kept = [kind.value for kind in Kind if kind not in (Kind.ROUND, Kind.RESPONSE)]
    client.post("/notifications/settings/", {"email": kept})
    off = set(EmailOff.objects.filter(person=cast.editor_a).values_list("kind", flat=True))
    assert off == {Kind.ROUND, Kind.RESPONSE}
    entry = AuditEntry.objects.get(action=Action.CHANGED, actor=cast.editor_a)
    assert entry.new == "Mở hoặc kết thúc vòng thẩm định; Nhận giải trình của đơn vị"
    assert entry.old == "—"
    html = client.get("/notifications/settings/").content.decode()
    assert f'value="{Kind.ROUND}">' in html and f'value="{Kind.SUBMITTED}" checked>' in html
    # the same again changes nothing; turning all back on is one more entry
    client.post("/notifications/settings/", {"email": kept})
    client.post("/notifications/settings/", {"email": [kind.value for kind in Kind]})
    assert not EmailOff.objects.exists()
    assert AuditEntry.objects.filter(action=Action.CHANGED, actor=cast.editor_a).count() == 2
    assert not EmailOff.objects.filter(person=cast.editor_b).exists()


def test_a_person_moved_to_another_unit_sees_the_old_units_notifications_unlinked(
    cast: Cast,
) -> None:
    """The old unit's pages would be refused: the notification stays, without its link."""
    link = f"/submissions/{cast.part_a.pk}/"
    old = notify([cast.editor_a, cast.admin], Kind.SUBMITTED, "Sở Tư pháp đã nộp", link=link)
    assert {item.unit_when_told for item in old} == {cast.unit_a.pk, None}
    cast.editor_a.unit = cast.unit_b
    cast.editor_a.save(update_fields=["unit"])
    notify(
        [cast.editor_a], Kind.SUBMITTED, "Sở Y tế đã nộp", link=f"/submissions/{cast.part_b.pk}/"
    )
    mine = Notification.objects.filter(person=cast.editor_a)
    stale, fresh = mine.get(text="Sở Tư pháp đã nộp"), mine.get(text="Sở Y tế đã nộp")
    client = cast.client(cast.editor_a)

    html = client.get("/notifications/").content.decode()
    assert "<span>Sở Tư pháp đã nộp</span>" in html
    assert f"/notifications/{stale.pk}/open/" not in html
    assert f"/notifications/{fresh.pk}/open/" in html
    assert html.count("bạn không còn thuộc đơn vị này") == 1

    response = client.post(f"/notifications/{stale.pk}/open/")
    assert response["Location"] == "/notifications/"
    stale.refresh_from_db()
    assert stale.read_at is not None
    assert client.post(f"/notifications/{fresh.pk}/open/")["Location"] == (
        f"/submissions/{cast.part_b.pk}/"
    )
    # the assessor, told as nobody's member, keeps the link
    of_admin = Notification.objects.get(person=cast.admin)
    assert cast.client(cast.admin).post(f"/notifications/{of_admin.pk}/open/")["Location"] == link
