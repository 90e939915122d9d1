from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.web.console.selectors import SORTS, UNIT_STATES
from chiso.web.cycles.models import Cycle

__all__ = ["DashboardFilter", "ReopenForm"]

MAX_SEARCH = 100
"""The longest search for a unit's name (a unit's name is shorter)."""


class DashboardFilter(forms.Form):
    q = forms.CharField(
        label=_("Find a unit"),
        required=False,
        max_length=MAX_SEARCH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    block = forms.ChoiceField(label=_("Block"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *UNIT_STATES]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=[("", _("Block and name")), *SORTS]
    )

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blocks = cycle.framework.framework.blocks
        self.fields["block"].choices = [("", _("All")), *((b.code, b.name) for b in blocks)]  # type: ignore[attr-defined]

    def chosen(self) -> dict[str, str]:
        """The valid choices; a choice that is not valid counts as none (the form says why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "block", "state", "sort")}


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
