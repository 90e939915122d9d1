"""Invitations (accounts/invitations.py): the e-mail in Vietnamese text and HTML, the one-time
link that sets the password and logs the person in, resending from the administration; and
the password reset e-mail's HTML part."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from tests.web.conftest import Cast

from chiso.web.accounts.invitations import invitation_link, invite
from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action, AuditEntry


def new_person(cast: Cast, email: str = "moi@example.org") -> User:
    person = User(username=email, email=email, full_name="Phạm Thị Mới", role=Role.EDITOR,
                  unit=cast.unit_a)  # fmt: skip
    person.set_unusable_password()
    person.save()
    return person


def link_in(message: Any) -> str:
    found = re.search(r"http://testserver(/accounts/invitation/\S+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_invitation_is_vietnamese_text_and_html_and_recorded(cast: Cast, settings: Any) -> None:
    settings.CHISO_SITE_URL = "http://testserver"
    person = new_person(cast)

    assert invite(person, by=cast.admin)

    (message,) = mail.outbox
    assert message.to == ["moi@example.org"]
    assert message.subject == "Tài khoản chiso của bạn: hãy đặt mật khẩu"
    assert "Kính gửi Phạm Thị Mới," in message.body and "moi@example.org" in message.body
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f'href="http://testserver{link_in(message)}"' in html
    person.refresh_from_db()
    assert person.invited_at is not None
    entry = AuditEntry.objects.get(action=Action.CHANGED, note="Đã gửi lời mời")
    assert entry.actor == cast.admin and "invited_at" in entry.new


def test_the_link_sets_the_password_logs_in_and_works_once(cast: Cast, settings: Any) -> None:
    settings.CHISO_SITE_URL = "http://testserver"
    person = new_person(cast)
    invite(person, by=cast.admin)
    link = link_in(mail.outbox[0])
    client = cast.client(None)

    form = client.get(link, follow=True)
    assert "Đặt mật khẩu của bạn" in form.text
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": "một-mật-khẩu-dài", "new_password2": "một-mật-khẩu-dài"})  # fmt: skip

    assert done.status_code == 302 and done.url == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == person
    person.refresh_from_db()
    assert person.check_password("một-mật-khẩu-dài")
    again = cast.client(None).get(link, follow=True)
    assert "Lời mời này không còn hiệu lực" in again.text


def test_a_reset_link_is_no_invitation(cast: Cast, settings: Any) -> None:
    from django.contrib.auth.tokens import default_token_generator

    person = new_person(cast)
    reset_token = default_token_generator.make_token(person)
    uid = invitation_link(person).split("/")[-3]
    page = cast.client(None).get(f"/accounts/invitation/{uid}/{reset_token}/", follow=True)
    assert "Lời mời này không còn hiệu lực" in page.text


def test_nobody_without_an_address_or_deactivated_is_invited(cast: Cast) -> None:
    person = new_person(cast)
    person.is_active = False
    person.save()
    assert not invite(person) and not invite(cast.viewer)
    assert mail.outbox == []


def test_admin_invites_a_new_person_and_resends(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.admin.is_staff = True
    cast.admin.save()
    client = cast.client(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:accounts_user_add"), {
            "username": "thu", "usable_password": "false", "full_name": "Thu",
            "email": "thu@example.org", "phone": "", "role": "viewer", "unit": "",
            "organisation": cast.organisation.pk,
        })  # fmt: skip
    assert [m.to for m in mail.outbox] == [["thu@example.org"]]

    person = User.objects.get(username="thu")
    page = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "resend_invitation", "_selected_action": [person.pk, cast.viewer.pk]},
        follow=True,
    )
    assert len(mail.outbox) == 2 and "Đã gửi 1 lời mời" in page.text


def test_password_reset_mail_has_an_html_part(cast: Cast) -> None:
    cast.head_a.email = "head@example.org"
    cast.head_a.save()
    cast.client(None).post(reverse("password_reset"), {"email": "head@example.org"})
    (message,) = mail.outbox
    html, kind = message.alternatives[0]
    assert kind == "text/html" and "/accounts/reset/" in html and "Kính gửi Head_A," in html


def test_resend_skips_people_who_have_a_password_or_logged_in(cast: Cast) -> None:
    cast.admin.is_staff = True
    cast.admin.save()
    waiting = new_person(cast)
    logged_in = new_person(cast, "dung@example.org")
    logged_in.last_login = timezone.now()
    logged_in.save()
    cast.viewer.email = "viewer@example.org"  # has a usable password
    cast.viewer.save()
    chosen = [waiting.pk, logged_in.pk, cast.viewer.pk]

    page = cast.client(cast.admin).post(
        reverse("admin:accounts_user_changelist"),
        {"action": "resend_invitation", "_selected_action": chosen},
        follow=True,
    )

    assert [m.to for m in mail.outbox] == [["moi@example.org"]]
    assert "Đã gửi 1 lời mời" in page.text
    assert "Bỏ qua 2 người đã có mật khẩu hoặc đã từng đăng nhập." in page.text
