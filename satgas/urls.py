from django.urls import path

from satgas.views import activities, periods, task_forces

app_name = "satgas"

urlpatterns = [
    path("satgas/", task_forces.task_force_list, name="list"),
    path("satgas/baru/", task_forces.task_force_create, name="create"),
    path("satgas/wilayah/", task_forces.overview, name="overview"),
    path("satgas/wilayah/ekspor.xlsx", task_forces.overview_export, name="overview_export"),
    path("satgas/pengukuhan/", task_forces.inaugurate, name="inaugurate"),
    path("satgas/pengukuhan/<int:inauguration_id>/foto", task_forces.inauguration_photo, name="inauguration_photo"),
    path("satgas/periode/", periods.period_list, name="period_list"),
    path("satgas/periode/tambah/", periods.period_edit, name="period_create"),
    path("satgas/periode/<int:period_id>/ubah/", periods.period_edit, name="period_edit"),
    path("satgas/upt/<int:facility_id>/", task_forces.facility_task_force, name="facility"),
    path("satgas/<int:task_force_id>/", task_forces.task_force_detail, name="detail"),
    path("satgas/<int:task_force_id>/penetapan/", task_forces.appoint, name="appoint"),
    path("satgas/<int:task_force_id>/sk.pdf", task_forces.decree_file, name="decree_file"),
    path("satgas/<int:task_force_id>/lampiran-sk.pdf", task_forces.membership_pdf, name="membership_pdf"),
    path("satgas/<int:task_force_id>/anggota/tambah/", task_forces.member_add, name="member_add"),
    path(
        "satgas/<int:task_force_id>/anggota/<int:membership_id>/ganti/",
        task_forces.member_replace,
        name="member_replace",
    ),
    path(
        "satgas/<int:task_force_id>/anggota/<int:membership_id>/berhenti/",
        task_forces.member_remove,
        name="member_remove",
    ),
    path("satgas/<int:task_force_id>/akhiri/", task_forces.task_force_end, name="end"),
    path("satgas/<int:task_force_id>/kegiatan/", activities.activity_list, name="activity_list"),
    path("satgas/<int:task_force_id>/kegiatan/ekspor.xlsx", activities.activity_export, name="activity_export"),
    path("satgas/<int:task_force_id>/kegiatan/tambah/", activities.activity_create, name="activity_create"),
    path("satgas/kegiatan/<int:activity_id>/", activities.activity_detail, name="activity_detail"),
    path("satgas/kegiatan/<int:activity_id>/ubah/", activities.activity_edit, name="activity_edit"),
    path("satgas/lampiran/<int:attachment_id>/", activities.attachment_file, name="attachment_file"),
]
