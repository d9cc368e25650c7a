from django.urls import path

from facilities import recap_views, views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_list, name="facility_list"),
    path("tambah/", views.facility_create, name="facility_create"),
    path("rekap/", recap_views.recap_view, name="recap"),
    path("rekap.xlsx", recap_views.recap_export, name="recap_export"),
    path("rekap.pdf", recap_views.recap_pdf, name="recap_pdf"),
    path("templat-pegawai.xlsx", views.roster_template, name="roster_template"),
    path("<int:facility_id>/", views.roster_view, name="roster"),
    path("<int:facility_id>/ubah/", views.facility_edit, name="facility_edit"),
    path("<int:facility_id>/kode-aktivasi/", views.issue_codes, name="issue_codes"),
    path("<int:facility_id>/pegawai/tambah/", views.employee_create, name="employee_create"),
    path("<int:facility_id>/pegawai/impor/", views.roster_import, name="roster_import"),
    path("<int:facility_id>/pegawai/impor/<int:import_id>/", views.roster_import_preview, name="roster_import_preview"),
    path(
        "<int:facility_id>/pegawai/impor/<int:import_id>/status/",
        views.roster_import_status,
        name="roster_import_status",
    ),
    path(
        "<int:facility_id>/pegawai/impor/<int:import_id>/coba-lagi/",
        views.roster_import_retry,
        name="roster_import_retry",
    ),
    path("<int:facility_id>/pegawai/ekspor.xlsx", views.roster_export, name="roster_export"),
    path("pegawai/<int:employee_id>/", views.employee_detail, name="employee_detail"),
    path("pegawai/<int:employee_id>/ubah/", views.employee_edit, name="employee_edit"),
    path("pegawai/<int:employee_id>/status/", views.employee_set_active, name="employee_set_active"),
    path("pegawai/<int:employee_id>/mutasi/", views.employee_transfer, name="employee_transfer"),
    path("pengguna/<int:user_id>/reset-sandi/", views.reset_password, name="reset_password"),
]
