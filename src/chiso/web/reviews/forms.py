from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import roles
from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.reviews.models import Stage


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.unit.name)


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(User.objects.none(), label=_("Reviewer"), empty_label="—")
    participation = UnitChoiceField(
        Participation.objects.none(), label=_("Unit"), required=False, empty_label="—"
    )
    group = forms.ChoiceField(label=_("or criteria group"), required=False)

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewer = self.fields["reviewer"]
        assert isinstance(reviewer, forms.ModelChoiceField)
        reviewer.queryset = roles.review_team(cycle.organisation_id)
        unit = self.fields["participation"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = cycle.participations.select_related("unit")
        roots = cycle.framework.framework.criteria
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", "—"), *((r.code, f"{r.code}. {r.name}") for r in roots)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("participation")) == bool(data.get("group")):
            raise forms.ValidationError(_("Choose either a unit or a criteria group."))
        return data


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    response_deadline = forms.DateField(label=_("Deadline for responses"), required=False)
    seen = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    """The numbers the confirmation page stated (``selectors.StepFacts.seen``)."""


class UnitFilter(forms.Form):
    """A page of units of a review list: a name search, a block and a state (the choices of
    states are the list's own). A choice that is not valid counts as none."""

    q = forms.CharField(
        label=_("Find a unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    block = forms.ChoiceField(label=_("Block"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, cycle: Cycle, states: list[tuple[str, Any]], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        blocks = [(b.code, b.name) for b in cycle.framework.framework.blocks]
        self.fields["block"].choices = [("", _("All")), *blocks]  # type: ignore[attr-defined]
        self.fields["state"].choices = [("", _("All")), *states]  # type: ignore[attr-defined]

    def chosen(self) -> dict[str, str]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "block", "state")}
