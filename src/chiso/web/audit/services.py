from __future__ import annotations

from typing import Any

from chiso.web.audit.models import Action, AuditEntry


def record(
    action: Action,
    *,
    actor: Any,
    cycle: Any = None,
    unit: Any = None,
    code: str = "",
    old: object = "",
    new: object = "",
    note: str = "",
) -> AuditEntry:
    """Add one entry to the audit trail (call it inside the transaction of the change)."""
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        cycle=cycle,
        unit=unit,
        code=code,
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        note=note,
    )
