"""The Django admin, for the national admin only.

Whatever the app audits is either read-only here or saved through the same audited
actions the app uses; nothing of ours is deleted from the admin (a login is deactivated,
which is audited like any other change):

- users: saves and passwords go through accounts.actions (account.created / .updated /
  .password_set), because the admin is where roles and scopes are given;
- audit events: read-only.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import actions, audit
from accounts.models import AuditEvent, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: these records change only through the app's audited actions."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "regional_office", "facility", "is_active"]
    list_filter = ["role", "is_active", "regional_office"]
    list_select_related = ["regional_office", "facility"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Peran"), {"fields": ["role", "regional_office", "facility"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Peran"), {"fields": ["role", "regional_office", "facility"]}),)
    autocomplete_fields = ["facility"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        # The admin wraps this and the groups/permissions saved after it in one transaction.
        actions.save_user(request.user, obj, form.changed_data, created=not change)

    def user_change_password(self, request, id, form_url=""):
        """Django's password page, with the save going through accounts.actions.save_password.

        Every other outcome (a GET, an invalid or conflicting form, no permission) is
        Django's own view, which saves nothing in those cases.
        """
        user = self.get_object(request, unquote(id)) if request.method == "POST" else None
        if user is None or not self.has_change_permission(request, user):
            return super().user_change_password(request, id, form_url)
        form = self.change_password_form(user, request.POST)
        if not form.is_valid() or not (form.cleaned_data["set_usable_password"] or "unset-password" in request.POST):
            return super().user_change_password(request, id, form_url)
        user = form.save(commit=False)
        actions.save_password(request.user, user)
        self.log_change(request, user, self.construct_change_message(request, form, None))
        if user.has_usable_password():
            messages.success(request, gettext("Password changed successfully."))
        else:
            messages.success(request, gettext("Password-based authentication was disabled."))
        update_session_auth_hash(request, user)
        return redirect(f"{self.admin_site.name}:accounts_user_change", user.pk)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor", "facility", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "facility"]
    search_fields = ["action", "object_id"]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # Access rules hold here too: a superuser who is the reported person finds no event of that case.
        return audit.events_visible_to(request.user).select_related("actor", "facility")
