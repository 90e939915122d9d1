"""The lineage page of a cycle: the assessor's unit lineage (which earlier units each unit
continues), its links added, removed or read from a lineage file, the cycle's merge policy,
and the earlier results that no unit of the cycle continues."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chiso.core.numbers import parse_decimal
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles import lineage
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle, MergePolicy, Unit, UnitLink
from chiso.web.results import services as results

__all__ = ["page"]


class LinkForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=gettext_lazy("Unit"))
    year = forms.IntegerField(label=gettext_lazy("From the year"), min_value=1990, max_value=2100)
    earlier = forms.CharField(label=gettext_lazy("Earlier unit"), max_length=200)
    weight = forms.CharField(label=gettext_lazy("Weight"), required=False, max_length=40)

    def __init__(self, cycle: Cycle, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Unit.objects.filter(organisation_id=cycle.organisation_id)

    def clean_weight(self) -> Decimal | None:
        """A number as people type it (1,5 or 1.5), at least 0, with at most 4 decimals."""
        text = self.cleaned_data["weight"].strip()
        if not text:
            return None
        try:
            weight = parse_decimal(text)
        except ValueError:
            raise forms.ValidationError(_("Enter a number, such as 12000 or 1,5.")) from None
        exponent = weight.as_tuple().exponent
        decimals = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if weight < 0 or decimals > 4 or weight.adjusted() >= 16:
            raise forms.ValidationError(_("Enter a number of at least 0 with at most 4 decimals."))
        return weight


class FileForm(forms.Form):
    # an empty file is refused by the reader, which names the file (Django's would not)
    file = forms.FileField(
        label=gettext_lazy("Lineage file (.csv or .xlsx)"), allow_empty_file=True
    )


class PolicyForm(forms.Form):
    policy = forms.ChoiceField(label=gettext_lazy("A merged unit's earlier result"),
                               choices=MergePolicy.choices)  # fmt: skip


@login_required
def page(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the lineage; POST (the assessor): ``action`` add, remove, upload or policy."""
    cycle = get_cycle_for_assessor(request.user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        require_assessor(request.user)
    add = LinkForm(cycle, request.POST if action == "add" else None)
    upload = (
        FileForm(request.POST or None, request.FILES or None) if action == "upload" else FileForm()
    )
    policy = PolicyForm(request.POST if action == "policy" else None,
                        initial={"policy": cycle.merge_policy})  # fmt: skip
    refused = ""
    try:
        if action == "add" and add.is_valid():
            data = add.cleaned_data
            lineage.add_link(data["unit"], year=data["year"], earlier=data["earlier"],
                             weight=data["weight"], by=request.user)  # fmt: skip
            messages.success(request, _("The link has been added."))
            return redirect("cycles:lineage", cycle.pk)
        if action == "remove":
            link = get_object_or_404(
                UnitLink, pk=_number(request.POST.get("link")),
                unit__organisation_id=cycle.organisation_id,
            )  # fmt: skip
            lineage.remove_link(link, by=request.user)
            messages.success(request, _("The link has been removed."))
            return redirect("cycles:lineage", cycle.pk)
        if action == "upload" and upload.is_valid():
            file = upload.cleaned_data["file"]
            count = lineage.import_lineage(
                cycle.organisation, file.name, file.read(lineage.MAX_BYTES + 1), by=request.user
            )
            messages.success(request, _("Links added from the file: %(count)d.") % {"count": count})
            return redirect("cycles:lineage", cycle.pk)
        if action == "policy" and policy.is_valid():
            lineage.set_merge_policy(cycle, policy.cleaned_data["policy"], by=request.user)
            messages.success(request, _("The merge policy has been saved."))
            return redirect("cycles:lineage", cycle.pk)
    except lineage.LineageRefused as error:
        if action == "add" and error.field:
            add.add_error(error.field, str(error))
        else:
            refused = str(error)
        if action == "policy":  # the dropdown shows the policy saved
            policy = PolicyForm(initial={"policy": cycle.merge_policy})
    return render(request, "console/lineage.html", _context(cycle, add, upload, policy, refused))


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _context(
    cycle: Cycle, add: LinkForm, upload: FileForm, policy: PolicyForm, refused: str
) -> dict[str, object]:
    links = UnitLink.objects.filter(unit__organisation_id=cycle.organisation_id)
    links = links.select_related("unit")
    try:
        unmatched, problem = results.unmatched_previous(cycle), ""
    except results.ResultsError as error:
        unmatched, problem = [], str(error)
    blocks = {block.code: block.name for block in cycle.framework.framework.blocks}
    return {
        "cycle": cycle,
        "links": _described(list(links), results.earlier_years(cycle)),
        "add": add,
        "upload": upload,
        "policy": policy,
        "refused": refused,
        "unmatched": [(row, blocks.get(row.block, row.block)) for row in unmatched],
        "problem": problem,
    }


KINDS = {"merged": gettext_lazy("merged"), "split": gettext_lazy("split"),
         "renamed": gettext_lazy("renamed")}  # fmt: skip


def _described(links: list[UnitLink], years: set[int]) -> list[tuple[UnitLink, str, str, bool]]:
    """Each link with what it is (lineage.described_links) in words, its weight as written,
    and whether it carries nothing for the cycle."""
    return [
        (found.link, str(KINDS[found.kind]), _weight(found.link), not found.carries)
        for found in lineage.described_links(links, years)
    ]


def _weight(link: UnitLink) -> str:
    """The weight as written, with the decimal comma: 12000, 1,5."""
    if link.weight is None:
        return ""
    return (
        f"{link.weight:f}".rstrip("0").rstrip(".").replace(".", ",")
        if "." in f"{link.weight:f}"
        else f"{link.weight:f}"
    )
