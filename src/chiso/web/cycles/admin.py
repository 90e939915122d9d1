from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chiso.core.loader import MAX_YAML_BYTES
from chiso.reports.template import TemplateError, parse_template
from chiso.web.accounts import roles
from chiso.web.accounts.sites import AssessorPermissions
from chiso.web.cycles import lineage
from chiso.web.cycles.models import (
    Cycle,
    FrameworkVersion,
    Organisation,
    Participation,
    Unit,
    UnitLink,
)
from chiso.web.cycles.services import check_framework, import_framework


class OrganisationForm(forms.ModelForm):  # type: ignore[type-arg]
    """An assessor; its template of the published document is checked as ``chiso report``
    checks a template file (line, field) before it is saved."""

    class Meta:
        model = Organisation
        fields = ["name", "parent_name", "place", "report_template"]

    def clean_report_template(self) -> str:
        source: str = self.cleaned_data["report_template"]
        if source.strip():
            try:
                parse_template(source.strip(), str(_("the template")))
            except TemplateError as error:
                raise forms.ValidationError(str(error)) from None
        return source


@admin.register(Organisation)
class OrganisationAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The assessors: a site administrator adds and removes them; an assessor's administrator
    sees and words only their own."""

    organisation_field = "pk"
    form = OrganisationForm
    list_display = ("name", "parent_name", "place")
    fields = ("name", "parent_name", "place", "report_template")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return roles.is_site_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return roles.is_site_admin(request.user) and super().has_delete_permission(request, obj)


@admin.register(Unit)
class UnitAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """An assessor's units, and (to read, and to include in its cycles) the units of other
    assessors listed to it."""

    organisation_field = "organisation"
    list_display = ("name", "short_name", "organisation", "active")
    list_filter = ("active", ("organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "short_name")
    filter_horizontal = ("also_assessed_by",)

    def assessor_filter(self, user: Any) -> Q:
        own = roles.organisation_id(user)
        if roles.is_site_admin(user) or own is None:
            return super().assessor_filter(user)
        listed = Unit.objects.filter(also_assessed_by=own).values("pk")
        return Q(organisation=own) | Q(pk__in=listed)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # the site administrator lists a unit to other assessors, whom an assessor's own
        # administrator does not see
        fields = list(super().get_fields(request, obj))
        return (
            fields
            if roles.is_site_admin(request.user)
            else [field for field in fields if field != "also_assessed_by"]
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _owns(request, obj)


def _owns(request: HttpRequest, unit: Unit | None) -> bool:
    """Whether the person manages the unit: its own assessor's people, a site administrator."""
    return unit is None or roles.belongs_to(request.user, unit.organisation_id)


class FrameworkUploadForm(forms.ModelForm):  # type: ignore[type-arg]
    """A framework file; checked as ``chiso validate`` checks it (file, line, field)."""

    file = forms.FileField(
        label=_("framework file (YAML)"),
        help_text=_("A new version is stored when the content differs from the latest one."),
    )

    class Meta:
        model = FrameworkVersion
        fields = ["organisation"]

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_YAML_BYTES:
            message = _("%(name)s is larger than %(limit)s MB.") % {
                "name": upload.name,
                "limit": MAX_YAML_BYTES // (1024 * 1024),
            }
            raise forms.ValidationError(message)
        try:
            source = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            message = _("%(name)s is not UTF-8 text.") % {"name": upload.name}
            raise forms.ValidationError(message) from None
        if error := check_framework(source, upload.name):
            raise forms.ValidationError(error)
        self.source_name = str(upload.name)
        return str(source)


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """Upload only: a stored version never changes (a change is a new version), and one that a
    cycle uses cannot be deleted."""

    audit_additions = False  # import_framework writes the entry of an upload

    list_display = ("framework_id", "version", "name", "year", "source_name", "created_at")
    organisation_field = "organisation"
    list_filter = ("framework_id", ("organisation", admin.RelatedOnlyFieldListFilter))
    readonly_fields = (
        "organisation", "framework_id", "version", "name", "year", "source_name", "sha256",
        "created_at", "created_by", "source",
    )  # fmt: skip

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = FrameworkUploadForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["organisation", "file"] if obj is None else list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        version = import_framework(
            form.cleaned_data["organisation"],
            form.cleaned_data["file"],
            source_name=form.source_name,
            by=request.user,
        )
        for field in FrameworkVersion._meta.concrete_fields:
            setattr(obj, field.attname, getattr(version, field.attname))
        obj._state.adding = False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


class ParticipationInline(AssessorPermissions, admin.TabularInline):  # type: ignore[type-arg]
    organisation_field = "cycle__organisation"
    model = Participation
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(Cycle)
class CycleAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The state changes on the cycle's page, the public scorecards on its results page, the
    merge policy on its lineage page (each with its audit entry), not here."""

    organisation_field = "organisation"
    list_display = ("name", "year", "framework", "deadline", "state")
    list_filter = ("state", "year")
    readonly_fields = ("state", "created_at", "public_scorecards", "merge_policy")
    inlines = [ParticipationInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitLinkForm(forms.ModelForm):  # type: ignore[type-arg]
    """A link of the unit lineage, refused as the lineage page refuses it (a second link of
    the unit to the same earlier unit in a year, a merger left without weights while a cycle
    keeps the largest)."""

    class Meta:
        model = UnitLink
        fields = ["unit", "year", "earlier", "weight"]

    def clean_weight(self) -> Any:
        weight = self.cleaned_data["weight"]
        if weight is not None and weight < 0:
            raise forms.ValidationError(_("Enter a number of at least 0 with at most 4 decimals."))
        return weight

    def clean(self) -> Any:
        super().clean()
        data = self.cleaned_data
        if not self.errors:
            refused = lineage.link_problem(
                data["unit"], year=data["year"], earlier=data["earlier"], weight=data["weight"],
                link=self.instance if self.instance.pk else None,
            )  # fmt: skip
            if refused is not None:
                self.add_error(refused.field, str(refused))
        return data


@admin.register(UnitLink)
class UnitLinkAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The assessor's unit lineage, as on a cycle's lineage page: each change goes through the
    lineage services, which write its entry in the trail of each of the assessor's cycles
    not published and count it as a change of every cycle (their draft results follow)."""

    organisation_field = "unit__organisation"
    audit_additions = audit_changes = audit_deletions = False  # the services write the entries
    form = UnitLinkForm
    list_display = ("unit", "year", "earlier", "weight")
    list_filter = ("year",)
    search_fields = ("unit__name", "earlier")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "unit" and not roles.is_site_admin(request.user):
            # the assessor's own units: a unit listed to it from another assessor is not its
            field.queryset = field.queryset.filter(organisation=roles.organisation_id(request.user))
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        values = {key: data[key] for key in ("unit", "year", "earlier", "weight")}
        if change:
            saved = lineage.change_link(obj, **values, by=request.user)
        else:
            saved = lineage.add_link(**values, by=request.user)
        obj.pk = saved.pk
        obj._state.adding = False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        lineage.remove_link(obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for link in queryset.select_related("unit"):
            lineage.remove_link(link, by=request.user)
