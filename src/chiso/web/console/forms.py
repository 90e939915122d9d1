from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.web.console.selectors import UNIT_STATES
from chiso.web.cycles.models import Cycle

__all__ = ["DashboardFilter", "ReopenForm"]


class DashboardFilter(forms.Form):
    block = forms.ChoiceField(label=_("Block"), required=False)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *UNIT_STATES]
    )

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blocks = cycle.framework.framework.blocks
        self.fields["block"].choices = [("", _("All")), *((b.code, b.name) for b in blocks)]  # type: ignore[attr-defined]


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
