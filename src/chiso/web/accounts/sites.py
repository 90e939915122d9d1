"""The administration site, open to the assessor administrator without a developer: the role
gives access to the models chiso registers, no Django permission to set by hand. Every model
admin it registers writes the audit trail and keeps a published cycle's records as they are."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import models, router
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import roles
from chiso.web.accounts.forms import AdminLoginForm, PasswordChangeForm
from chiso.web.audit.models import Action
from chiso.web.audit.services import is_published, record_change, snapshot

_PUBLISHED = _(
    "Published cycle: its records no longer change here. A correction is a new revision of "
    "the results, with its reason, on the cycle's results page."
)


class AuditedAdmin:
    """Every record added, changed or deleted in the administration is an entry of the audit
    trail (who, the record, its changed fields before and after), written in the transaction of
    the change; the records of a published cycle are read-only here (a correction is a new
    revision of the results, on the results page)."""

    audit_additions = True
    """False where saving calls a service that writes the entry itself."""
    audit_changes = True
    audit_deletions = True
    """The same for a change and a deletion."""

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is not None:
            obj._audit_before = snapshot(obj)
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not hasattr(obj, "_audit_before"):  # a list's editable columns
            obj._audit_before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if self.audit_additions:
            record_change(Action.ADDED, obj, by=request.user, before={}, after=snapshot(obj))
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        before, after = getattr(obj, "_audit_before", {}), snapshot(obj)
        if before != after and self.audit_changes:
            record_change(Action.CHANGED, obj, by=request.user, before=before, after=after)
        obj._audit_before = after
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset if self.audit_deletions else ():
            _record_deletion(obj, by=request.user)
        return super().log_deletions(request, queryset)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The rows of an inline table: each added, changed and deleted row is an entry."""
        pks = [row.instance.pk for row in formset.initial_forms]
        stored = formset.model._default_manager.in_bulk(pks)
        for row in formset.deleted_forms:
            if row.instance.pk in stored:
                _record_deletion(stored[row.instance.pk], by=request.user)
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for obj in formset.new_objects:
            record_change(Action.ADDED, obj, by=request.user, before={}, after=snapshot(obj))
        for obj, _fields in formset.changed_objects:
            before = snapshot(stored[obj.pk])
            record_change(Action.CHANGED, obj, by=request.user, before=before, after=snapshot(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and not is_published(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and not is_published(obj)

    def render_change_form(
        self, request: HttpRequest, context: Any, *args: Any, obj: Any = None, **kwargs: Any
    ) -> Any:
        if is_published(obj):
            messages.info(request, _PUBLISHED)
        change_form = super().render_change_form  # type: ignore[misc]
        return change_form(request, context, *args, obj=obj, **kwargs)


class FrozenWhenPublished:
    """An inline table of a published cycle's page: read-only, like the page."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_add_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and not is_published(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and not is_published(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)  # type: ignore[misc]
        return bool(allowed) and not is_published(obj)


class AssessorAdminSite(admin.AdminSite):
    site_header = _("chiso administration")
    site_title = _("chiso administration")
    index_title = _("Units, frameworks, cycles and people")
    login_form = AdminLoginForm
    password_change_form = PasswordChangeForm  # audited, as on the site's own page

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and (user.is_staff or roles.is_assessor(user)))

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Registers the model admin with the audit trail, whichever app registers it."""
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdmin):
            inlines = [
                type(inline.__name__, (FrozenWhenPublished, inline), {}) for inline in base.inlines
            ]
            attributes = {"__module__": base.__module__, "inlines": inlines}
            for flag in ("audit_additions", "audit_changes", "audit_deletions"):
                if hasattr(base, flag):  # the model admin's own, before AuditedAdmin's default
                    attributes[flag] = getattr(base, flag)
            base = type(base.__name__, (AuditedAdmin, base), attributes)
        super().register(model_or_iterable, base, **options)


class AssessorPermissions:
    """Model admin permissions by role: the assessor administrator manages these records,
    those of their own assessor only (``organisation_field``: the path from a record to its
    assessor); a site administrator (superuser) those of every assessor. The choices of a
    form's foreign keys are narrowed the same way, by the admin of the model they name."""

    organisation_field: str | None = None

    def assessor_filter(self, user: Any) -> Q:
        """The records of the person's assessor (every record for a site administrator)."""
        if self.organisation_field is None or roles.is_site_admin(user):
            return Q()
        own = roles.organisation_id(user)
        return Q(**{self.organisation_field: own}) if own is not None else Q(pk__in=[])

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return queryset.filter(self.assessor_filter(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _narrowed(self, field, db_field, request)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _narrowed(self, field, db_field, request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _assessor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _assessor(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)


def _narrowed(model_admin: Any, field: Any, db_field: Any, request: HttpRequest) -> Any:
    """A form field of a foreign key, its choices narrowed to the person's assessor by the
    admin of the model it names."""
    related = model_admin.admin_site._registry.get(db_field.related_model)
    if field is not None and isinstance(related, AssessorPermissions):
        field.queryset = field.queryset.filter(related.assessor_filter(request.user))
    return field


def _assessor(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and roles.is_assessor(user))


def _record_deletion(obj: models.Model, *, by: Any) -> None:
    """The entry of a deleted record, with the records that go with it (by cascade)."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    cascade: dict[Any, set[Any]] = collector.model_objs
    also = [
        f"{len(objs)} {meta.verbose_name if len(objs) == 1 else meta.verbose_name_plural}"
        for meta, objs in ((model._meta, objs) for model, objs in cascade.items())
        if meta.model is not type(obj)
    ]
    note = str(_("Also deleted: %(records)s")) % {"records": ", ".join(also)} if also else ""
    record_change(Action.DELETED, obj, by=by, before=snapshot(obj), after={}, note=note)
