"""Facilities in the Django admin (see accounts/admin.py for the rule).

- employees and their placements, facilities: read-only; the app creates, edits,
  transfers and deactivates them through facilities.actions (audited);
- regional offices and the ministry: the admin is their only editor, so saves go through
  facilities.actions.save_reference_data (regional_office.* / ministry.* events).
"""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin, ReadOnlyInline
from facilities import actions
from facilities.models import Employee, Facility, Ministry, Placement, RegionalOffice


class ReferenceDataAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        actions.save_reference_data(request.user, obj, form.changed_data)


@admin.register(Ministry)
class MinistryAdmin(ReferenceDataAdmin):
    list_display = ["name", "directorate", "short_name"]


@admin.register(RegionalOffice)
class RegionalOfficeAdmin(ReferenceDataAdmin):
    list_display = ["name", "province", "city", "ministry"]
    search_fields = ["name", "province"]


@admin.register(Facility)
class FacilityAdmin(ReadOnlyAdmin):
    list_display = ["name", "type", "facility_class", "city", "regional_office", "is_active"]
    list_filter = ["type", "facility_class", "regional_office"]
    list_select_related = ["regional_office"]
    search_fields = ["name", "city"]
    raw_id_fields = ["head"]


class PlacementInline(ReadOnlyInline):
    model = Placement
    raw_id_fields = ["facility"]


@admin.register(Employee)
class EmployeeAdmin(ReadOnlyAdmin):
    list_display = ["name", "identifier", "employment_type", "rank", "position", "facility", "is_active"]
    list_filter = ["employment_type", "is_active", "facility__regional_office"]
    list_select_related = ["facility"]
    search_fields = ["name", "identifier"]
    raw_id_fields = ["facility", "user"]
    inlines = [PlacementInline]
