from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "regional_office", "facility", "is_active"]
    list_filter = ["role", "is_active", "regional_office"]
    list_select_related = ["regional_office", "facility"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("Peran"), {"fields": ["role", "regional_office", "facility"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("Peran"), {"fields": ["role", "regional_office", "facility"]}),)
    autocomplete_fields = ["facility"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor", "facility", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "facility"]
    search_fields = ["action", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
