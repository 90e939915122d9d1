from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from chiso.web.accounts.models import User


@admin.register(User)
class ChisoUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "role", "unit", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("chiso", {"fields": ("full_name", "role", "unit")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("chiso", {"fields": ("full_name", "role", "unit")}),
    )
