"""The name and user name of the actor of every existing entry, so that they stay on the entry
when the person is deleted."""

from typing import Any

from django.db import migrations


def fill_names(apps: Any, schema_editor: Any) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    User = apps.get_model("accounts", "User")
    for person in User.objects.filter(pk__in=AuditEntry.objects.values("actor")):
        AuditEntry.objects.filter(actor=person).update(
            actor_name=(person.full_name or person.username)[:150],
            actor_username=person.username,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_actor_name_and_record"),
        ("accounts", "0002_initial"),
    ]

    operations = [migrations.RunPython(fill_names, migrations.RunPython.noop)]
