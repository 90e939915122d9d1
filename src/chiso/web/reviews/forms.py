from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import roles
from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.reviews.models import Stage


class ReviewerForm(forms.Form):
    """A reviewer of the assessor's team: whom to assign."""

    reviewer = forms.ModelChoiceField(User.objects.none(), label=_("Reviewer"), empty_label="—")

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        reviewer = self.fields["reviewer"]
        assert isinstance(reviewer, forms.ModelChoiceField)
        reviewer.queryset = roles.review_team(cycle.organisation_id)


class AssignForm(ReviewerForm):
    """A reviewer, and a unit found by its name or short name (the page suggests them as
    one types) or a top-level criteria group."""

    unit = forms.CharField(
        label=_("Unit"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    group = forms.ChoiceField(label=_("or criteria group"), required=False)

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(cycle, *args, **kwargs)
        roots = cycle.framework.framework.criteria
        group = self.fields["group"]
        assert isinstance(group, forms.ChoiceField)
        group.choices = [("", "—"), *((r.code, f"{r.code}. {r.name}") for r in roots)]

    def clean_unit(self) -> Participation | None:
        name = self.cleaned_data.get("unit") or ""
        if not name:
            return None
        units = self.cycle.participations.select_related("unit")
        found = list(units.filter(unit__name__iexact=name)[:2])
        found = found or list(units.filter(unit__short_name__iexact=name)[:2])
        if not found:
            text = _("No unit of this cycle is named “%(name)s”.")
            raise forms.ValidationError(text % {"name": name})
        if len(found) > 1:
            text = _("Several units of this cycle are named “%(name)s”: type its short name.")
            raise forms.ValidationError(text % {"name": name})
        return found[0]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "unit" in self.errors:
            return data
        if bool(data.get("unit")) == bool(data.get("group")):
            raise forms.ValidationError(_("Choose either a unit or a criteria group."))
        return data


class AssignmentFilter(forms.Form):
    """The table of assignments: one reviewer's, or everyone's. A choice that is not valid
    counts as none."""

    reviewer = forms.ModelChoiceField(
        User.objects.none(), label=_("Reviewer"), required=False, empty_label=_("All")
    )

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewer = self.fields["reviewer"]
        assert isinstance(reviewer, forms.ModelChoiceField)
        reviewer.queryset = roles.review_team(cycle.organisation_id)

    def chosen(self) -> User | None:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("reviewer")


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
