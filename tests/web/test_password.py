"""Passwords: every person changes their own, and resets a forgotten one by e-mail; both are
in the audit trail (who and when, never the password)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from tests.web.conftest import PASSWORD, Cast

from chiso.web.audit.models import Action, AuditEntry

NEW = "a-new-long-passphrase-2026"
ROLES = ["admin", "reviewer", "viewer", "editor_a", "head_a"]


def logs_in(username: str, password: str, ip: str = "10.0.0.1") -> bool:
    client = Client(REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def request_reset(email: str, ip: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=ip).post("/accounts/password_reset/", {"email": email})


def test_login_page_links_to_the_password_reset(cast: Cast) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password_reset/"' in page
    assert "Quên mật khẩu?" in page


@pytest.mark.parametrize("who", ROLES)
def test_a_person_resets_a_forgotten_password_by_email(cast: Cast, who: str) -> None:
    person = getattr(cast, who)
    person.email = f"{who}@example.org"
    person.save()

    response = request_reset(f"{who.upper()}@example.org")
    assert response["Location"] == "/accounts/password_reset/done/"
    [message] = mail.outbox
    assert message.to == [f"{who}@example.org"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "Bạn nhận được thư này" in message.body
    assert who in message.body  # the username, in case it was forgotten too
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body)
    assert link

    client = Client()
    form_url = client.get(link.group(1))["Location"]  # the token moves into the session
    page = client.get(form_url)
    assert "Đặt mật khẩu mới" in page.content.decode()
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == "/accounts/reset/done/"
    assert logs_in(who, NEW)
    assert not logs_in(who, PASSWORD)
    [entry] = AuditEntry.objects.filter(action=Action.PASSWORD_RESET)
    assert entry.actor == person
    assert NEW not in f"{entry.old}{entry.new}{entry.note}"
    # the link is used up
    assert "không còn hiệu lực" in Client().get(link.group(1), follow=True).content.decode()


def test_a_reset_request_answers_the_same_for_an_unknown_address(cast: Cast) -> None:
    cast.editor_a.email = "editor@example.org"
    cast.editor_a.save()
    known = request_reset("editor@example.org", ip="10.0.0.2")
    unknown = request_reset("nobody@example.org", ip="10.0.0.3")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get("/accounts/password_reset/done/").content.decode()
    assert "Nếu địa chỉ" in page


def test_reset_requests_are_throttled_per_address(cast: Cast, settings: Any) -> None:
    cast.editor_a.email = "editor@example.org"
    cast.editor_a.save()
    for _ in range(settings.CHISO_PASSWORD_RESET_LIMIT):
        assert request_reset("editor@example.org", ip="10.7.7.7").status_code == 302
    response = request_reset("editor@example.org", ip="10.7.7.7")
    assert response.status_code == 429
    assert "Quá nhiều yêu cầu đặt lại mật khẩu" in response.content.decode()
    assert len(mail.outbox) == settings.CHISO_PASSWORD_RESET_LIMIT
    assert request_reset("editor@example.org", ip="10.7.7.8").status_code == 302


def test_a_reset_lifts_the_login_lock_of_the_account(cast: Cast) -> None:
    cast.head_a.email = "head@example.org"
    cast.head_a.save()
    for _ in range(5):
        logs_in("head_a", "wrong")
    assert not logs_in("head_a", PASSWORD)
    request_reset("head@example.org")
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body)
    assert link
    client = Client()
    form_url = client.get(link.group(1))["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert logs_in("head_a", NEW)


@pytest.mark.parametrize("who", ROLES)
def test_every_person_changes_their_own_password(cast: Cast, who: str) -> None:
    person = getattr(cast, who)
    client = Client()
    assert client.post("/accounts/login/", {"username": who, "password": PASSWORD})
    home = client.get("/", follow=True).content.decode()
    assert 'href="/accounts/password_change/"' in home
    page = client.get("/accounts/password_change/").content.decode()
    assert "Đổi mật khẩu" in page
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == "/accounts/password_change/done/"
    assert "Mật khẩu của bạn đã được thay đổi" in client.get(response["Location"]).content.decode()
    assert client.get("/").status_code in (200, 302)  # still logged in
    assert client.get("/accounts/password_change/").status_code == 200
    assert logs_in(who, NEW)
    [entry] = AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED)
    assert entry.actor == person
    assert NEW not in f"{entry.old}{entry.new}{entry.note}"
    assert PASSWORD not in f"{entry.old}{entry.new}{entry.note}"


def test_a_wrong_old_password_changes_nothing(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ" in response.content.decode()
    assert not AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED).exists()
    assert logs_in("editor_a", PASSWORD)


def test_changing_a_password_needs_a_login(cast: Cast) -> None:
    response = Client().get("/accounts/password_change/")
    assert response["Location"].startswith("/accounts/login/")


def test_the_administrators_own_password_change_in_the_administration_is_audited(
    cast: Cast,
) -> None:
    client = cast.client(cast.admin)
    response = client.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    [entry] = AuditEntry.objects.filter(action=Action.PASSWORD_CHANGED)
    assert entry.actor == cast.admin


def test_a_reset_request_reinvites_a_person_who_never_chose_a_password(cast: Cast) -> None:
    cast.editor_a.email = "editor@example.org"
    cast.editor_a.set_unusable_password()  # invited, the link never used
    cast.editor_a.save()
    cast.head_a.email = "head@example.org"
    cast.head_a.set_unusable_password()
    cast.head_a.is_active = False
    cast.head_a.save()

    request_reset("EDITOR@example.org", ip="10.0.0.4")
    request_reset("head@example.org", ip="10.0.0.5")

    [message] = mail.outbox  # the deactivated person gets nothing
    assert message.to == ["editor@example.org"]
    link = re.search(r"https?://\S+(/accounts/invitation/\S+/)", message.body)
    assert link, message.body
    assert AuditEntry.objects.filter(action=Action.CHANGED, note="Đã gửi lời mời").exists()
