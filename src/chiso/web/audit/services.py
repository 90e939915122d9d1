from __future__ import annotations

import getpass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models

from chiso.web.audit.models import Action, AuditEntry, ChangeCount

SECRET_FIELDS = frozenset({"password"})
"""Fields whose values never enter the trail: only that they changed."""

_VALUE_LENGTH = 200
_PARENTS = ("submission", "response", "revision", "participation", "cycle")


def record(
    action: Action,
    *,
    actor: Any,
    cycle: Any = None,
    unit: Any = None,
    code: str = "",
    target: str = "",
    old: object = "",
    new: object = "",
    note: str = "",
    actor_name: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the audit trail (call it inside the transaction of the change).

    The actor's name and user name are stored with the entry, so that the entry still says
    who when the person is deleted; ``actor_name`` names an actor without an account (a
    command run on the server). ``detail``: what the note says in words, as data
    (:attr:`AuditEntry.detail`)."""
    number = _count(cycle.pk) if cycle is not None and cycle.pk is not None else None
    entry = _entry(action, actor, actor_name, cycle=cycle, unit=unit, code=code, target=target,
                   old=old, new=new, note=note, change_no=number, detail=detail or {})  # fmt: skip
    entry.save(force_insert=True)
    return entry


def record_each(
    action: Action, units: list[Any], *, actor: Any, cycle: Any, new: object = "", note: str = ""
) -> None:
    """The entries of one change made to many units of a cycle at once (a reviewer assigned
    to every unit of a block): one entry per unit, as :func:`record` writes it, all in one
    insert."""
    if not units:
        return
    number = _count(cycle.pk)
    entries = [
        _entry(action, actor, "", cycle=cycle, unit=unit, new=new, note=note, change_no=number)
        for unit in units
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _entry(action: Action, actor: Any, actor_name: str, **fields: Any) -> AuditEntry:
    person = actor if actor is not None and actor.is_authenticated else None
    old, new = fields.pop("old", ""), fields.pop("new", "")
    return AuditEntry(
        action=action,
        actor=person,
        actor_name=(str(person) if person else actor_name)[:150],
        actor_username=person.get_username() if person else "",
        target=fields.pop("target", "")[:300],
        old="" if old is None else str(old),
        new="" if new is None else str(new),
        **fields,
    )


def _count(cycle_id: int) -> int:
    """One more change of the cycle, in the change's transaction (ChangeCount): its number,
    counted and read in one statement (PostgreSQL, and SQLite from 3.35, return what they
    update)."""
    quote = connection.ops.quote_name
    table, count = quote(ChangeCount._meta.db_table), quote("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {count} = {count} + 1 WHERE cycle_id = %s RETURNING {count}",
            [cycle_id],
        )
        row = cursor.fetchone()
    if row is None:
        ChangeCount.objects.get_or_create(cycle_id=cycle_id)
        return _count(cycle_id)
    return int(row[0])


def count_changes(cycle_ids: list[int]) -> None:
    """One more change of each of these cycles, for a change the trail files under none of
    them but that their results are computed from (an assessor's unit lineage)."""
    for cycle_id in sorted(cycle_ids):  # one order of locks, whoever changes them
        _count(cycle_id)


def change_counts(organisation_id: int) -> dict[int, int]:
    """The changes so far of each cycle of the organisation, by the cycle's id."""
    rows = ChangeCount.objects.filter(cycle__organisation_id=organisation_id)
    return dict(rows.values_list("cycle_id", "count"))


def snapshot(obj: models.Model) -> dict[str, str]:
    """The values of a record's fields as the trail writes them (related records by name)."""
    values = {
        field.name: _text(getattr(obj, field.name))
        for field in obj._meta.concrete_fields
        if not field.primary_key
    }
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            related = getattr(obj, field.name).all()
            values[field.name] = ", ".join(sorted(str(item) for item in related))
    return values


def record_change(
    action: Action,
    obj: models.Model,
    *,
    by: Any,
    before: dict[str, str],
    after: dict[str, str],
    note: str = "",
    actor_name: str = "",
) -> AuditEntry:
    """The entry of a record added, changed or deleted outside the services (the
    administration, a command): the record, and its fields that changed, before and after."""
    cycle, unit = place(obj, deleted=action == Action.DELETED)
    old, new = _changes(before, after)
    return record(
        action, actor=by, actor_name=actor_name, cycle=cycle, unit=unit,
        code=str(getattr(obj, "code", "") or "")[:80], target=describe(obj),
        old=old, new=new, note=note,
    )  # fmt: skip


def describe(obj: models.Model) -> str:
    """The record as the trail names it: its model, its id and its name."""
    return f"{obj._meta.label_lower} #{obj.pk} {obj}"


def place(obj: models.Model, *, deleted: bool = False) -> tuple[Any, Any]:
    """The cycle and the unit a record belongs to (a cycle, a participating unit, or what
    hangs below them); none for a record being deleted that is itself the cycle.

    A record that is a place of the trail says so with its ``audit_place()`` (the cycle and
    the participating unit do), so that the trail, below every other app, knows none of them.
    """
    current: Any = obj
    while current is not None:
        if hasattr(current, "audit_place"):
            cycle, unit = current.audit_place()
            return (None if deleted and cycle is obj else cycle), unit
        parents = (_parent(current, name) for name in _PARENTS)
        current = next((parent for parent in parents if parent is not None), None)
    return None, None


def is_published(obj: models.Model | None) -> bool:
    """Whether a record belongs to a published cycle (and so does not change any more)."""
    cycle = place(obj)[0] if obj is not None else None
    return cycle is not None and bool(cycle.is_published)


def person(user: Any) -> str:
    """A person as a value of the trail: their name and, to tell two of one name apart,
    their user name (``Nguyễn Văn A (nva)``)."""
    name, username = str(user), user.get_username()
    return name if name == username else f"{name} ({username})"


def command_actor() -> str:
    """Who runs a command on the server: the system account, as the trail names it."""
    try:
        account = getpass.getuser()
    except (OSError, KeyError):
        account = "?"
    return f"{account} (manage.py)"


def _parent(obj: models.Model, name: str) -> Any:
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return getattr(obj, name) if field.concrete and field.is_relation else None


def _changes(before: dict[str, str], after: dict[str, str]) -> tuple[str, str]:
    names = [name for name in {**before, **after} if before.get(name) != after.get(name)]
    old = [f"{name}: {before[name]}" for name in names if name in before]
    new = [f"{name}: {after[name]}" for name in names if name in after]
    for name in SECRET_FIELDS.intersection(names):
        old = [line for line in old if not line.startswith(f"{name}: ")]
        new = [line for line in new if not line.startswith(f"{name}: ")]
        if after:
            new.append(f"{name} changed" if before else f"{name} set")
    return "; ".join(old), "; ".join(new)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= _VALUE_LENGTH else text[: _VALUE_LENGTH - 1] + "…"
