"""The entries of reviewers assigned and unassigned, written as "review round changed" before
they had their own action: an assignment names a unit or a criteria group, a change of round
names neither. Only the action's name changes; who, when and what stay as they were."""

from typing import Any

from django.db import migrations, models


def assignments_apart(apps: Any, schema_editor: Any) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    named = models.Q(unit__isnull=False) | ~models.Q(code="")
    AuditEntry.objects.filter(named, action="round").update(action="assignment")


def assignments_back(apps: Any, schema_editor: Any) -> None:
    AuditEntry = apps.get_model("audit", "AuditEntry")
    AuditEntry.objects.filter(action="assignment").update(action="round")


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_assignment_action")]

    operations = [migrations.RunPython(assignments_apart, assignments_back)]
