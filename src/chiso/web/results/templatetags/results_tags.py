"""Vietnamese numbers in result pages: ``{{ value|vn:1 }}`` → "95,3", ``{{ change|rank_change }}``
→ "+2", "-1", "="."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from chiso import format as fmt
from chiso.reports.tables import Column, cell_text

register = template.Library()

RULE_KINDS = {
    "yes_no": _("yes or no"),
    "yes_no_evidence": _("yes or no, with evidence"),
    "bands": _("bands of a value"),
    "proportional": _("in proportion to a ratio"),
    "count": _("points per item counted"),
    "choice": _("one of several levels"),
    "relative": _("against the block's best"),
    "info": _("information, no points"),
    "points": _("points given directly"),
}
"""Each rule type of the framework format (docs/frameworks.md) in words."""


@register.filter
def vn(value: Decimal | int | None, decimals: int = 0) -> str:
    return fmt.number(value, int(decimals))


@register.filter
def points_change(value: Decimal | None, decimals: int = 0) -> str:
    """A change in percentage points as the documents print it: "+30,0", "-33,3", "="."""
    return cell_text(Column("", "change", int(decimals)), value)


@register.filter
def rank_change(value: int | None) -> str:
    return fmt.change(value)


@register.filter
def rule_kind(rule: dict[str, object]) -> str:
    """A rule's type in words; a type this list does not know, as the framework writes it."""
    kind = str(rule.get("type", ""))
    return str(RULE_KINDS.get(kind, kind))


@register.filter
def rule_points(rule: dict[str, object]) -> str:
    """A rule's settings beside its type, as the framework file writes them."""

    def text(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(text(item) for item in value)
        if isinstance(value, dict):
            return " ".join(f"{key} {text(item)}" for key, item in value.items())
        return str(value)

    return "; ".join(f"{key}: {text(value)}" for key, value in rule.items() if key != "type")
