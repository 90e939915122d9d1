"""Login: throttled after repeated failures, CSRF on every form, passwords hashed by Django."""

from __future__ import annotations

from typing import Any

from django.conf import global_settings
from django.test import Client
from tests.web.conftest import PASSWORD, Cast

from chiso.web.accounts import throttle


def login(
    username: str, password: str, ip: str = "10.0.0.1", url: str = "/accounts/login/"
) -> object:
    return Client(REMOTE_ADDR=ip).post(url, {"username": username, "password": password})


def fail(username: str, times: int, ip: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = login(username, "wrong", ip)
        assert response.status_code == 200  # type: ignore[attr-defined]


def test_correct_password_logs_in(cast: Cast) -> None:
    assert login("editor_a", PASSWORD)["Location"] == "/"  # type: ignore[index]


def test_five_failures_for_a_username_lock_it_out_with_a_clear_message(cast: Cast) -> None:
    fail("editor_a", throttle.LIMIT - 1, ip="10.0.0.2")
    assert login("editor_a", PASSWORD, ip="10.0.0.3").status_code == 302  # type: ignore[attr-defined]
    fail("editor_a", throttle.LIMIT, ip="10.0.0.4")
    response = login("editor_a", PASSWORD, ip="10.0.0.5")
    assert response.status_code == 200  # type: ignore[attr-defined]
    errors = response.context["form"].non_field_errors().as_data()  # type: ignore[attr-defined]
    assert errors[0].code == "throttled"
    assert "tạm khóa đăng nhập trong 15 phút" in response.content.decode()  # type: ignore[attr-defined]
    # another person from another address is not affected
    assert login("head_a", PASSWORD, ip="10.0.0.6").status_code == 302  # type: ignore[attr-defined]


def test_five_failures_from_one_address_lock_it_out(cast: Cast) -> None:
    for username in ["a", "b", "c", "d", "e"]:
        fail(username, 1, ip="10.9.9.9")
    assert login("head_a", PASSWORD, ip="10.9.9.9").status_code == 200  # type: ignore[attr-defined]
    assert login("head_a", PASSWORD, ip="10.9.9.8").status_code == 302  # type: ignore[attr-defined]


def test_lockout_ends_after_fifteen_minutes(cast: Cast) -> None:
    fail("editor_a", throttle.LIMIT)
    assert login("editor_a", PASSWORD).status_code == 200  # type: ignore[attr-defined]
    from django.core.cache import cache

    cache.clear()  # what the expiry of the counters does after LOCKOUT seconds
    assert throttle.LOCKOUT == 15 * 60
    assert login("editor_a", PASSWORD).status_code == 302  # type: ignore[attr-defined]


def test_administration_login_is_throttled_too(cast: Cast) -> None:
    for _ in range(throttle.LIMIT):
        login("admin", "wrong", url="/admin/login/")
    response = login("admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 200  # type: ignore[attr-defined]


def test_forms_refuse_a_post_without_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    for url in [
        "/accounts/login/",
        f"/cycles/{cast.cycle.pk}/state/",
        "/cycles/new/",
        "/admin/cycles/unit/add/",
        "/i18n/setlang/",
    ]:
        assert client.post(url, {}).status_code == 403, url


def test_every_page_form_carries_a_csrf_token(cast: Cast) -> None:
    client = cast.client(cast.admin)
    for url in [
        "/accounts/login/",
        f"/cycles/{cast.cycle.pk}/",
        f"/cycles/{cast.cycle.pk}/state/",
        "/cycles/new/",
        f"/cycles/{cast.cycle.pk}/audit/",
    ]:
        page = client.get(url).content.decode()
        posts = page.count('method="post"')
        assert posts and page.count('name="csrfmiddlewaretoken"') >= posts, url


def test_passwords_are_hashed_by_djangos_default_hashers(cast: Cast, settings: Any) -> None:
    import chiso.web.settings as chiso_settings

    assert not hasattr(chiso_settings, "PASSWORD_HASHERS")  # Django's defaults apply
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    cast.editor_a.set_password(PASSWORD)
    cast.editor_a.save()
    assert cast.editor_a.password.startswith("pbkdf2_sha256$")
    assert login("editor_a", PASSWORD).status_code == 302  # type: ignore[attr-defined]
