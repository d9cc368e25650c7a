from django.contrib import admin

from facilities.models import Employee, Facility, Ministry, Placement, RegionalOffice


@admin.register(Ministry)
class MinistryAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "short_name"]


@admin.register(RegionalOffice)
class RegionalOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "city", "ministry"]
    search_fields = ["name", "province"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "facility_class", "city", "regional_office", "is_active"]
    list_filter = ["type", "facility_class", "regional_office"]
    list_select_related = ["regional_office"]
    search_fields = ["name", "city"]
    raw_id_fields = ["head"]


class PlacementInline(admin.TabularInline):
    model = Placement
    extra = 0
    raw_id_fields = ["facility"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier", "employment_type", "rank", "position", "facility", "is_active"]
    list_filter = ["employment_type", "is_active", "facility__regional_office"]
    list_select_related = ["facility"]
    search_fields = ["name", "identifier"]
    raw_id_fields = ["facility", "user"]
    inlines = [PlacementInline]
