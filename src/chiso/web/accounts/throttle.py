"""Login throttling: after LIMIT failed logins for one username or from one address within
WINDOW, logins for it are refused for LOCKOUT. Counters live in Django's cache (the database,
or Redis when several processes serve the site)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LIMIT = 5
WINDOW = 15 * 60
LOCKOUT = 15 * 60


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    header = getattr(settings, "CHISO_CLIENT_IP_HEADER", "") or "REMOTE_ADDR"
    value = request.META.get(header, "") or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For: "client, proxy1, proxy2" — the client is the first
    return str(value).split(",")[0].strip()


def _keys(username: str, ip: str) -> list[str]:
    keys = []
    if username:
        keys.append("user:" + hashlib.sha256(username.strip().lower().encode()).hexdigest())
    if ip:
        keys.append("ip:" + ip)
    return keys


def is_locked(username: str, ip: str) -> bool:
    return any(cache.get(f"login-lock:{key}") for key in _keys(username, ip))


def failed(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        counter = f"login-fail:{key}"
        cache.add(counter, 0, WINDOW)
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.set(counter, count := 1, WINDOW)
        if count >= LIMIT:
            cache.set(f"login-lock:{key}", True, LOCKOUT)
            cache.delete(counter)


def succeeded(username: str) -> None:
    for key in _keys(username, ""):
        cache.delete(f"login-fail:{key}")
