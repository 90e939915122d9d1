"""Login: throttled per account and address (a named person cannot be locked out from
elsewhere), counted before the password is checked, CSRF on every form, passwords hashed by
Django."""

from __future__ import annotations

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import global_settings
from django.contrib.auth.backends import ModelBackend
from django.core.checks import run_checks
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone
from tests.web.conftest import PASSWORD, Cast

from chiso.web.accounts import throttle

LIMIT = 5  # CHISO_LOGIN_LIMIT's default


def login(
    username: str,
    password: str,
    ip: str = "10.0.0.1",
    url: str = "/accounts/login/",
    **headers: str,
) -> Any:
    return Client(REMOTE_ADDR=ip, **headers).post(url, {"username": username, "password": password})


def fail(username: str, times: int, ip: str = "10.0.0.1", **headers: str) -> None:
    for _ in range(times):
        assert login(username, "wrong", ip, **headers).status_code == 200


def refused(response: Any) -> bool:
    if response.status_code != 429:
        return False
    errors = response.context["form"].non_field_errors().as_data()
    return bool(errors) and errors[0].code == "throttled"


class CountingBackend(ModelBackend):
    """Django's backend, counting the password checks; while the first check runs, 29 more
    wrong tries arrive, as with parallel requests."""

    checks = 0
    others = 0

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kw: Any
    ) -> Any:
        type(self).checks += 1
        if type(self).checks == 1:
            for _ in range(29):
                type(self).others += 1
                login("editor_a", "wrong")
        return super().authenticate(request, username=username, password=password, **kw)


def test_correct_password_logs_in(cast: Cast) -> None:
    assert login("editor_a", PASSWORD)["Location"] == "/"


def test_thirty_simultaneous_wrong_tries_check_the_password_five_times(
    cast: Cast, settings: Any
) -> None:
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.CountingBackend"]
    CountingBackend.checks = CountingBackend.others = 0
    login("editor_a", "wrong")
    assert CountingBackend.others == 29
    assert CountingBackend.checks == LIMIT


def test_a_correct_password_after_five_failures_is_refused_with_a_clear_message(
    cast: Cast,
) -> None:
    fail("editor_a", LIMIT - 1)
    assert login("editor_a", PASSWORD).status_code == 302  # a success forgets the failures
    fail("editor_a", LIMIT)
    response = login("editor_a", PASSWORD)
    assert refused(response)
    assert "tạm dừng trong 15 phút" in response.content.decode()


def test_a_named_account_is_not_locked_for_a_person_at_another_address(cast: Cast) -> None:
    fail("head_a", LIMIT, ip="10.6.6.6")
    assert refused(login("head_a", PASSWORD, ip="10.6.6.6"))
    assert login("head_a", PASSWORD, ip="10.0.0.7").status_code == 302


def test_an_ipv6_client_counts_as_its_slash_64(cast: Cast) -> None:
    fail("head_a", LIMIT, ip="2001:db8:0:1::1")
    assert refused(login("head_a", PASSWORD, ip="2001:db8:0:1::2"))
    assert login("head_a", PASSWORD, ip="2001:db8:0:2::1").status_code == 302


def test_failures_on_one_account_do_not_lock_others_behind_the_same_address(cast: Cast) -> None:
    fail("editor_a", LIMIT, ip="10.9.9.9")
    assert login("head_a", PASSWORD, ip="10.9.9.9").status_code == 302


def test_failures_on_many_accounts_from_one_address_reach_the_address_cap(
    cast: Cast, settings: Any
) -> None:
    settings.CHISO_LOGIN_ADDRESS_LIMIT = 8
    for n in range(8):
        fail(f"nobody{n}", 1, ip="10.9.9.9")
    assert refused(login("head_a", PASSWORD, ip="10.9.9.9"))
    assert login("head_a", PASSWORD, ip="10.9.9.8").status_code == 302


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(cast: Cast, settings: Any) -> None:
    settings.CHISO_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CHISO_TRUSTED_PROXIES = []
    settings.CHISO_LOGIN_ADDRESS_LIMIT = 8
    for n in range(8):
        fail(f"nobody{n}", 1, ip="10.9.9.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    response = login("head_a", PASSWORD, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert refused(response)


def test_behind_a_trusted_proxy_the_client_is_the_address_the_proxy_saw(
    cast: Cast, settings: Any
) -> None:
    settings.CHISO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    proxy = "10.0.0.2"
    for n in range(LIMIT):  # the client writes a different address each time; the proxy appends
        forwarded = f"198.51.100.{n}, 203.0.113.5"
        fail("editor_a", 1, ip=proxy, HTTP_X_FORWARDED_FOR=forwarded)
    assert refused(login("editor_a", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"))
    other = login("editor_a", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "client"),
    [
        ("203.0.113.5", "", [], "203.0.113.5"),
        ("203.0.113.5", "1.2.3.4", [], "203.0.113.5"),
        ("10.0.0.2", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", ["10.0.0.0/8"], "203.0.113.5"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5, 10.0.0.9", ["10.0.0.0/8"], "203.0.113.5"),
        ("10.0.0.2", "not-an-address", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "", ["10.0.0.0/8"], "10.0.0.2"),
        ("10.0.0.2", "10.0.0.3", ["10.0.0.0/8"], "10.0.0.2"),
        ("::1", "2001:db8::1", ["::1"], "2001:db8::1"),
    ],
)
def test_client_address(
    settings: Any, peer: str, forwarded: str, trusted: list[str], client: str
) -> None:
    settings.CHISO_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == client


def test_lockout_ends_after_fifteen_minutes(cast: Cast) -> None:
    fail("editor_a", LIMIT)
    assert refused(login("editor_a", PASSWORD))
    from chiso.web.accounts.models import LoginCounter

    # what fifteen minutes do: the window of the counters ends
    LoginCounter.objects.update(started=timezone.now() - datetime.timedelta(minutes=15))
    assert login("editor_a", PASSWORD).status_code == 302


def test_administration_login_is_throttled_too(cast: Cast) -> None:
    for _ in range(LIMIT):
        login("admin", "wrong", url="/admin/login/")
    response = login("admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_forms_refuse_a_post_without_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.admin)
    for url in [
        "/accounts/login/",
        "/accounts/password_change/",
        "/accounts/password_reset/",
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
        "/accounts/password_change/",
        "/accounts/password_reset/",
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
    assert login("editor_a", PASSWORD).status_code == 302


class ParallelBackend(ModelBackend):
    checks = 0
    lock = threading.Lock()

    def authenticate(
        self, request: Any, username: Any = None, password: Any = None, **kw: Any
    ) -> Any:
        with self.lock:
            type(self).checks += 1
        return super().authenticate(request, username=username, password=password, **kw)


@pytest.mark.django_db(transaction=True)
def test_thirty_parallel_wrong_tries_in_threads_check_the_password_five_times(
    cast: Cast, settings: Any
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database refuses a second writer instead of waiting")
    settings.AUTHENTICATION_BACKENDS = [f"{__name__}.ParallelBackend"]
    ParallelBackend.checks = 0
    start = threading.Barrier(30)

    def one_try() -> int:
        start.wait()
        try:
            return int(login("editor_a", "wrong").status_code)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(30) as pool:
        statuses = list(pool.map(lambda _: one_try(), range(30)))
    assert ParallelBackend.checks == LIMIT
    assert sorted(statuses) == [200] * LIMIT + [429] * (30 - LIMIT)


def test_a_forwarded_header_without_trusted_proxies_is_a_warning(settings: Any) -> None:
    settings.CHISO_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CHISO_TRUSTED_PROXIES = []
    assert "accounts.W001" in [message.id for message in run_checks(tags=["security"])]
    settings.CHISO_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert "accounts.W001" not in [message.id for message in run_checks(tags=["security"])]
