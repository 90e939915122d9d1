"""Imported results of earlier years kept exactly: their score and percentage as the text of
the decimal read from the file, not a decimal column rounded at 6 decimals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import migrations, models


def _plain(text: str | None) -> str:
    """The stored number's text without trailing zeros ("12.500000" → "12.5"), "" for none."""
    if text is None or text == "":
        return ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    plain = format(value, "f")
    return plain.rstrip("0").rstrip(".") if "." in plain else plain


def forwards(apps: Any, schema_editor: Any) -> None:
    rows = apps.get_model("results", "PreviousResult")
    for row in rows.objects.iterator():
        row.score, row.percent = _plain(row.score), _plain(row.percent)
        row.save(update_fields=["score", "percent"])


class Migration(migrations.Migration):
    dependencies = [("results", "0004_publication_parts")]

    operations = [
        migrations.AlterField(
            model_name="previousresult",
            name="score",
            field=models.CharField(max_length=60, null=True, blank=True, verbose_name="score"),
        ),
        migrations.AlterField(
            model_name="previousresult",
            name="percent",
            field=models.CharField(max_length=60, null=True, blank=True, verbose_name="percentage"),
        ),
        migrations.RunPython(forwards, elidable=False),
        migrations.AlterField(
            model_name="previousresult",
            name="score",
            field=models.CharField(blank=True, default="", max_length=60, verbose_name="score"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="previousresult",
            name="percent",
            field=models.CharField(
                blank=True, default="", max_length=60, verbose_name="percentage"
            ),
            preserve_default=False,
        ),
    ]
