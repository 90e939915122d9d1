"""The criteria crosswalk page of a cycle: the crosswalk against an earlier cycle scored on
another framework, attached from a file in the format of ``chiso report --crosswalk`` or
removed, and what it compares (each group of this year with its earlier codes, or why not)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chiso.core.crosswalk import CrosswalkError, Kind
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles import crosswalk
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle, CycleCrosswalk

__all__ = ["page"]


class CrosswalkForm(forms.Form):
    earlier = forms.ModelChoiceField(
        queryset=Cycle.objects.none(), label=gettext_lazy("Earlier cycle")
    )
    # an empty file is refused by the reader, which names the file (Django's would not)
    file = forms.FileField(
        label=gettext_lazy("Crosswalk file (.csv or .xlsx)"), allow_empty_file=True
    )

    def __init__(self, cycle: Cycle, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["earlier"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = crosswalk.earlier_cycles(cycle)


_KINDS = {
    Kind.SAME: gettext_lazy("the same code"),
    Kind.RENUMBERED: gettext_lazy("renumbered"),
    Kind.COMBINED: gettext_lazy("combined from several"),
    Kind.NEW: gettext_lazy("new: not comparable"),
    Kind.SPLIT: gettext_lazy("split from a criterion shared with others: not comparable"),
}


@login_required
def page(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: the crosswalk; POST (the assessor): ``action`` upload or remove."""
    cycle = get_cycle_for_assessor(request.user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST":
        require_assessor(request.user)
    form = CrosswalkForm(cycle, request.POST or None, request.FILES or None) if action else None
    refused = ""
    try:
        if action == "upload" and form is not None and form.is_valid():
            file = form.cleaned_data["file"]
            data = file.read(crosswalk.MAX_BYTES + 1)
            crosswalk.attach_crosswalk(
                cycle, form.cleaned_data["earlier"], file.name, data, by=request.user
            )
            messages.success(request, _("The criteria crosswalk has been attached."))
            return redirect("cycles:crosswalk", cycle.pk)
        if action == "remove" and (found := _found(cycle)) is not None:
            crosswalk.remove_crosswalk(found, by=request.user)
            messages.success(request, _("The criteria crosswalk has been removed."))
            return redirect("cycles:crosswalk", cycle.pk)
    except crosswalk.CrosswalkRefused as error:
        refused = str(error)
    if action != "upload":
        form = CrosswalkForm(cycle)
    return render(request, "console/crosswalk.html", _context(cycle, form, refused))


def _found(cycle: Cycle) -> CycleCrosswalk | None:
    return CycleCrosswalk.objects.filter(cycle=cycle).select_related("earlier__framework").first()


def _context(cycle: Cycle, form: CrosswalkForm | None, refused: str) -> dict[str, object]:
    found = _found(cycle)
    rows, dropped = [], []
    if found is not None:
        framework = cycle.framework.framework
        earlier = found.earlier.framework.framework
        try:  # checked when attached; either cycle's framework may have changed since
            core = crosswalk.core_crosswalk(found)
            for code, link in core.codes.items():
                names = [f"{e}. {earlier.node(e).name}" for e in link.earlier]
                rows.append((code, framework.node(code).name, _KINDS[link.kind], names))
            dropped = [f"{code}. {earlier.node(code).name}" for code in core.dropped]
        except (CrosswalkError, KeyError) as error:
            problem = error.args[0] if isinstance(error, KeyError) else error
            refused = refused or _(
                "The criteria crosswalk cannot be followed: %(problem)s. Attach a corrected "
                "file, or remove it."
            ) % {"problem": problem}
    return {
        "cycle": cycle,
        "found": found,
        "rows": rows,
        "dropped": dropped,
        "form": form,
        "refused": refused,
    }
