from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from chiso.core.loader import MAX_YAML_BYTES
from chiso.io.framework_workbook import MAX_WORKBOOK_BYTES
from chiso.web.cycles.models import (
    Cycle,
    CycleState,
    FrameworkVersion,
    Organisation,
    Participation,
    Unit,
)
from chiso.web.cycles.services import TRANSITIONS, Participant, plain_lines


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"))
    note = forms.CharField(label=_("Note"), required=False)
    confirm = forms.BooleanField(label=_("I confirm this change"))

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # publishing freezes the results as a revision: the results page does it, after its
        # own confirmation; published here, a cycle would be final with no results
        allowed = TRANSITIONS[cycle.state] - {CycleState.PUBLISHED}
        self.fields["state"].choices = [(s.value, s.label) for s in CycleState if s in allowed]  # type: ignore[attr-defined]


class CycleForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new cycle of one of ``organisations`` (the person's assessor) and, for each active
    unit the assessor may include (its own and those listed to it), whether it takes part, in
    which block and whether voluntarily (fields ``unit_<id>``, ``block_<id>``,
    ``voluntary_<id>``; the block defaults to the unit's block in its latest cycle)."""

    class Meta:
        model = Cycle
        fields = ["name", "year", "framework", "deadline"]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, organisations: QuerySet[Organisation], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = FrameworkVersion.objects.select_related(  # type: ignore[attr-defined]
            "organisation"
        ).filter(organisation__in=organisations)
        self.fields["framework"].empty_label = _("Choose a framework version")  # type: ignore[attr-defined]
        joinable = Q(organisation__in=organisations) | Q(also_assessed_by__in=organisations)
        self.units = list(Unit.objects.filter(joinable, active=True).distinct().order_by("name"))
        blocks = {
            b.code: b.name
            for version in self._latest_versions(organisations)
            for b in version.framework.blocks
        }
        last = dict(
            Participation.objects.order_by("cycle__year", "cycle_id").values_list(
                "unit_id", "block"
            )
        )
        self.unit_rows = []
        for unit in self.units:
            self.fields[f"unit_{unit.pk}"] = forms.BooleanField(required=False, label=unit.name)
            # each row's block and switch are named by their column and the unit's name
            self.fields[f"block_{unit.pk}"] = forms.ChoiceField(
                choices=list(blocks.items()),
                initial=last.get(unit.pk) or unit.block or None,
                required=False,
                widget=forms.Select(attrs={"aria-labelledby": f"column-block unit-{unit.pk}"}),
            )
            self.fields[f"voluntary_{unit.pk}"] = forms.BooleanField(
                required=False,
                widget=forms.CheckboxInput(
                    attrs={"aria-labelledby": f"column-voluntary unit-{unit.pk}"}
                ),
            )
            self.unit_rows.append(
                (
                    unit,
                    self[f"unit_{unit.pk}"],
                    self[f"block_{unit.pk}"],
                    self[f"voluntary_{unit.pk}"],
                )
            )

    @staticmethod
    def _latest_versions(organisations: QuerySet[Organisation]) -> list[FrameworkVersion]:
        latest: dict[tuple[int, str], FrameworkVersion] = {}
        for version in FrameworkVersion.objects.filter(organisation__in=organisations).order_by(
            "version"
        ):
            latest[(version.organisation_id, version.framework_id)] = version
        return list(latest.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        framework: FrameworkVersion | None = data.get("framework")
        participants = []
        for unit in self.units:
            if not data.get(f"unit_{unit.pk}"):
                continue
            block = data.get(f"block_{unit.pk}") or ""
            if framework is not None and not framework.framework.has_block(block):
                self.add_error(f"block_{unit.pk}", _("The framework has no such block."))
            elif framework is not None and not unit.may_join(framework.organisation_id):
                self.add_error(f"unit_{unit.pk}", _("The unit belongs to another assessor."))
            participants.append(Participant(unit, block, bool(data.get(f"voluntary_{unit.pk}"))))
        if not participants:
            raise forms.ValidationError(_("Choose at least one participating unit."))
        data["participants"] = participants
        return data


class PeopleFileForm(forms.Form):
    """A workbook (or CSV file) of units and people, for its preview."""

    organisation = forms.ModelChoiceField(
        label=_("Assessor"), queryset=Organisation.objects.order_by("name"), empty_label=None
    )
    file = forms.FileField(label=_("Workbook (XLSX) or CSV file"))


class FrameworkFileForm(forms.Form):
    """A framework file (YAML) or framework workbook (XLSX) to check, for an assessor."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"), label=_("Assessor"), empty_label=None
    )
    file = forms.FileField(
        label=_("Framework file (YAML) or workbook (XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_WORKBOOK_BYTES:
            raise forms.ValidationError(
                _("%(name)s is larger than %(limit)s MB.")
                % {"name": upload.name, "limit": MAX_WORKBOOK_BYTES // (1024 * 1024)}
            )
        if not str(upload.name).lower().endswith((".yaml", ".yml", ".xlsx")):
            raise forms.ValidationError(_("Upload a .yaml or .xlsx file."))
        return upload


class FrameworkConfirmForm(forms.Form):
    """The checked framework file, sent back to be stored as the next version."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), widget=forms.HiddenInput
    )
    source = forms.CharField(widget=forms.HiddenInput, max_length=MAX_YAML_BYTES, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_source(self) -> str:
        return plain_lines(self.cleaned_data["source"])
