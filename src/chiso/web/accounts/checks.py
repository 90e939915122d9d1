"""Checks of the login settings, run by ``manage.py check`` and at every start."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def forwarded_header_needs_trusted_proxies(app_configs: Any, **kwargs: Any) -> list[Any]:
    # before CHISO_TRUSTED_PROXIES, CHISO_CLIENT_IP_HEADER alone was trusted from anyone
    if settings.CHISO_CLIENT_IP_HEADER and not settings.CHISO_TRUSTED_PROXIES:
        return [
            checks.Warning(
                "CHISO_CLIENT_IP_HEADER is read only from the proxies of CHISO_TRUSTED_PROXIES, "
                "which is empty: login throttling counts every client at the proxy's address.",
                hint="Set CHISO_TRUSTED_PROXIES to the proxy's address, e.g. 127.0.0.1.",
                id="accounts.W001",
            )
        ]
    return []
