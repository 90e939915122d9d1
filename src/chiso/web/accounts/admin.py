from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from chiso.web.accounts import roles
from chiso.web.accounts.invitations import invite
from chiso.web.accounts.models import User
from chiso.web.accounts.sites import AssessorPermissions
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.audit.services import record_change, snapshot


@admin.register(User)
class ChisoUserAdmin(AssessorPermissions, UserAdmin):  # type: ignore[type-arg]
    """People. A person who has entries in the audit trail is deactivated, not deleted. An
    assessor's administrator manages the people of their assessor; a site administrator those
    of every assessor, and the site administrators."""

    organisation_field = "organisation"
    list_display = (
        "username", "full_name", "role", "organisation", "unit", "is_active", "invited_at",
        "last_login",
    )  # fmt: skip
    list_filter = (
        "role", "is_active", ("organisation", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
    )  # fmt: skip
    search_fields = ("username", "full_name", "email")
    list_select_related = ("unit", "organisation")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Person"),
            {
                "fields": (
                    "full_name",
                    "email",
                    "phone",
                    "role",
                    "organisation",
                    "unit",
                    "is_active",
                    "invited_at",
                )
            },
        ),
        (
            _("Django permissions"),
            {"classes": ("collapse",), "fields": ("is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (
            _("Person"),
            {"fields": ("full_name", "email", "phone", "role", "organisation", "unit")},
        ),
    )
    readonly_fields = ("last_login", "date_joined", "invited_at")
    actions = ["deactivate", "resend_invitation"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        user: Any = request.user
        # only a superuser makes superusers: the assessor manages people by their role
        return fields if user.is_superuser else (*fields, "is_staff", "is_superuser", "groups")

    def assessor_filter(self, user: Any) -> Q:
        """The assessor's people: a unit's people by their unit too (its one source)."""
        own = roles.organisation_id(user)
        if roles.is_site_admin(user) or own is None:
            return super().assessor_filter(user)
        return Q(organisation=own) | Q(unit__organisation=own)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        # a new person is of the administrator's own assessor
        initial = super().get_changeform_initial_data(request)
        return {"organisation": roles.organisation_id(request.user), **initial}

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # one by one (no bulk deletion), and only a person who did nothing in the trail
        if obj is None or AuditEntry.objects.filter(actor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Deactivate the selected people"))
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        with transaction.atomic():
            for person in queryset.filter(is_active=True):
                before = snapshot(person)
                person.is_active = False
                person.save(update_fields=["is_active"])
                after = snapshot(person)
                record_change(Action.CHANGED, person, by=request.user, before=before, after=after)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:  # a new person is invited once the person is stored
            transaction.on_commit(lambda: invite(obj, by=request.user))

    @admin.action(description=_("Resend the invitation"))
    def resend_invitation(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # only to those who never chose a password: a link to set one is no reminder for
        # the others (they have "Forgot your password?")
        waiting = [p for p in queryset if not p.has_usable_password() and p.last_login is None]
        skipped = len(queryset) - len(waiting)
        sent = sum(invite(person, by=request.user) for person in waiting)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d person is skipped: they already have a password or have logged in.",
                    "%(count)d people are skipped: they already have a password or have logged in.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation sent (people without an e-mail address or deactivated "
                "are skipped).",
                "%(count)d invitations sent (people without an e-mail address or deactivated "
                "are skipped).",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic():  # the new password and its audit entry together
            return super().user_change_password(request, id, form_url)


@admin.register(AuditEntry)
class AuditEntryAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The trail is read-only: nothing adds, changes or deletes an entry by hand. (Registered
    here, with the site's permissions by role: the audit app is below every other.)"""

    list_display = (
        "at", "actor_name", "action", "cycle", "unit", "target", "code", "old", "new", "note",
    )  # fmt: skip
    list_filter = (
        "action", ("cycle", admin.RelatedOnlyFieldListFilter),
        ("unit", admin.RelatedOnlyFieldListFilter),
    )  # fmt: skip
    search_fields = ("code", "target", "note", "old", "new", "actor_name", "actor_username")
    list_select_related = ("cycle", "unit")
    date_hierarchy = "at"

    def assessor_filter(self, user: Any) -> Q:
        """The entries of the assessor's cycles, of its units outside a cycle, and of what its
        people did outside both (people, framework versions)."""
        if roles.is_site_admin(user):
            return Q()
        own = roles.organisation_id(user)
        if own is None:
            return Q(pk__in=[])
        return (
            Q(cycle__organisation=own)
            | Q(cycle__isnull=True, unit__organisation=own)
            | Q(cycle__isnull=True, unit__isnull=True, actor__organisation=own)
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
