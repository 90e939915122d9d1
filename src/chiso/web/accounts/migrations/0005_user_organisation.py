import django.db.models.deletion
from django.db import migrations, models


def assign_people(apps, schema_editor):
    """A unit's people belong to their unit's assessor; the others to the one assessor there
    is (the demo, a province's own site). With several assessors, a site administrator
    assigns the others in /admin/ (a person of no assessor sees no assessor's records)."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("cycles", "Organisation")
    for person in User.objects.filter(unit__isnull=False).select_related("unit"):
        person.organisation_id = person.unit.organisation_id
        person.save(update_fields=["organisation"])
    if Organisation.objects.count() == 1:
        only = Organisation.objects.get()
        User.objects.filter(unit__isnull=True, is_superuser=False).update(organisation=only)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_invited_at_user_phone"),
        ("cycles", "0008_unit_also_assessed_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty only for site administrators; a unit's people: their unit's.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="people",
                to="cycles.organisation",
                verbose_name="assessor",
            ),
        ),
        migrations.RunPython(assign_people, migrations.RunPython.noop),
    ]
