"""Checks of the login settings, run by ``manage.py check`` and at every start; and of the
people's assessors, run by ``manage.py check --database default``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import F, Q


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


@checks.register(checks.Tags.database)
def people_belong_to_their_unit_s_assessor(app_configs: Any, **kwargs: Any) -> list[Any]:
    """A unit's people belong to the assessor of their unit (the unit is the one source of
    it); everyone but a site administrator belongs to one."""
    from chiso.web.accounts.models import User

    if not kwargs.get("databases"):
        return []
    disagree = User.objects.filter(unit__isnull=False).exclude(organisation=F("unit__organisation"))
    without = User.objects.filter(Q(organisation__isnull=True), is_superuser=False)
    try:
        disagreeing = sorted(disagree.values_list("username", flat=True)[:20])
        alone = sorted(without.values_list("username", flat=True)[:20])
    except DatabaseError:
        # ``migrate`` runs the checks before it migrates: a new database has no people yet,
        # an older one not yet their assessor
        return []
    found: list[checks.CheckMessage] = []
    if names := disagreeing:
        found.append(
            checks.Error(
                f"People whose assessor is not their unit's: {', '.join(names)}.",
                hint="Give each the assessor of their unit in /admin/ (People).",
                id="accounts.E001",
            )
        )
    if names := alone:
        found.append(
            checks.Warning(
                f"People of no assessor, who see no assessor's records: {', '.join(names)}.",
                hint="Give each their assessor in /admin/ (People).",
                id="accounts.W002",
            )
        )
    return found
