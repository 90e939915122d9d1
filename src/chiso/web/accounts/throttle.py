"""Login throttling that slows an attacker without letting anyone lock a person out.

Every try reserves one count, before the password is checked, on two counters: the account
at the client's address (CHISO_LOGIN_LIMIT tries) and the address on any accounts (the
looser CHISO_LOGIN_ADDRESS_LIMIT). A try that finds either counter full is refused without a
password check. A successful login gives its reservations back and forgets the account's
failures at that address; the counters start again CHISO_LOGIN_WINDOW_MINUTES after their
first try. A person at another address is never affected by someone else's failures on
their account.

The reservation is one UPDATE … SET count = count + 1 WHERE count < limit on a row of
LoginCounter: atomic on SQLite and PostgreSQL, shared by every process, so that N parallel
tries check the password at most LIMIT times.
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.http import HttpRequest
from django.utils import timezone

from chiso.web.accounts.models import LoginCounter

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.CHISO_LOGIN_WINDOW_MINUTES)


def client_ip(request: HttpRequest) -> str:
    """The client's address: the peer, or behind a trusted proxy the right-most forwarded
    address that is not itself a trusted proxy (the left part of the header is the client's
    to write)."""
    peer = str(request.META.get("REMOTE_ADDR", ""))
    trusted = [ipaddress.ip_network(net) for net in settings.CHISO_TRUSTED_PROXIES]
    if not _in(_address(peer), trusted):
        return peer
    header = settings.CHISO_CLIENT_IP_HEADER or "HTTP_X_FORWARDED_FOR"
    for hop in reversed(str(request.META.get(header, "")).split(",")):
        address = _address(hop.strip())
        if address is None:
            break
        if not _in(address, trusted):
            return str(address)
    return peer


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _in(
    address: Address | None, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> bool:
    return address is not None and any(address in net for net in networks)


def _place(ip: str) -> str:
    """The unit of an address: an IPv6 client holds a whole /64, so it counts as one."""
    address = _address(ip)
    if address is None:
        return "-"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _account(username: str) -> str:
    return "a:" + hashlib.sha256(username.strip().casefold().encode()).hexdigest()


def reserve_login(username: str, ip: str) -> bool:
    """Reserve one try of ``username`` from ``ip``; False when it must be refused."""
    place = _place(ip)
    with transaction.atomic():
        if not _take(f"i:{place}", settings.CHISO_LOGIN_ADDRESS_LIMIT):
            return False
        if not _take(f"{_account(username)}:{place}", settings.CHISO_LOGIN_LIMIT):
            transaction.set_rollback(True)  # the address's count is given back
            return False
    _clean()
    return True


def succeeded(username: str, ip: str) -> None:
    """A correct password: its try is not a failure, and the account's failures from this
    address are forgotten."""
    place = _place(ip)
    with transaction.atomic():  # the address's row first, in the order reserve_login takes them
        LoginCounter.objects.filter(key=f"i:{place}", count__gt=0).update(count=F("count") - 1)
        LoginCounter.objects.filter(key=f"{_account(username)}:{place}").delete()


def forget_account(username: str) -> None:
    """The account's failures everywhere (its password was reset)."""
    LoginCounter.objects.filter(key__startswith=_account(username) + ":").delete()


def reserve_reset(ip: str) -> bool:
    """Reserve one password-reset request from ``ip``; False when it must be refused."""
    taken = _take(f"r:{_place(ip)}", settings.CHISO_PASSWORD_RESET_LIMIT)
    _clean()
    return taken


def _take(key: str, limit: int) -> bool:
    now = timezone.now()
    cutoff = now - window()
    expired = Q(started__lte=cutoff)
    for _ in range(2):  # once more if a cleanup removed the row between insert and update
        LoginCounter.objects.bulk_create(
            [LoginCounter(key=key, count=0, started=now)], ignore_conflicts=True
        )
        taken = LoginCounter.objects.filter(Q(key=key), expired | Q(count__lt=limit)).update(
            count=Case(When(expired, then=Value(1)), default=F("count") + 1),
            started=Case(When(expired, then=Value(now)), default=F("started")),
        )
        if taken:
            return True
        if LoginCounter.objects.filter(key=key).exists():
            return False
    return False


def _clean() -> None:
    # rows of windows long over (each username tried makes one), outside the reservation's
    # transaction so that two cleanups never wait on each other's rows
    LoginCounter.objects.filter(started__lt=timezone.now() - 2 * window()).delete()
