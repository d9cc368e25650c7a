from django.urls import path

from satgas import views

app_name = "satgas"

urlpatterns = [
    path("satgas/", views.task_force_list, name="list"),
    path("satgas/baru/", views.task_force_create, name="create"),
    path("satgas/wilayah/", views.overview, name="overview"),
    path("satgas/pengukuhan/", views.inaugurate, name="inaugurate"),
    path("satgas/pengukuhan/<int:inauguration_id>/foto", views.inauguration_photo, name="inauguration_photo"),
    path("satgas/periode/", views.period_list, name="period_list"),
    path("satgas/periode/tambah/", views.period_edit, name="period_create"),
    path("satgas/periode/<int:period_id>/ubah/", views.period_edit, name="period_edit"),
    path("satgas/upt/<int:facility_id>/", views.facility_task_force, name="facility"),
    path("satgas/<int:task_force_id>/", views.task_force_detail, name="detail"),
    path("satgas/<int:task_force_id>/penetapan/", views.appoint, name="appoint"),
    path("satgas/<int:task_force_id>/sk.pdf", views.decree_file, name="decree_file"),
    path("satgas/<int:task_force_id>/lampiran-sk.pdf", views.membership_pdf, name="membership_pdf"),
    path("satgas/<int:task_force_id>/anggota/tambah/", views.member_add, name="member_add"),
    path("satgas/<int:task_force_id>/anggota/<int:membership_id>/ganti/", views.member_replace, name="member_replace"),
    path("satgas/<int:task_force_id>/anggota/<int:membership_id>/berhenti/", views.member_remove, name="member_remove"),
    path("satgas/<int:task_force_id>/akhiri/", views.task_force_end, name="end"),
    path("satgas/<int:task_force_id>/kegiatan/", views.activity_list, name="activity_list"),
    path("satgas/<int:task_force_id>/kegiatan/tambah/", views.activity_create, name="activity_create"),
    path("satgas/kegiatan/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("satgas/kegiatan/<int:activity_id>/ubah/", views.activity_edit, name="activity_edit"),
    path("satgas/lampiran/<int:attachment_id>/", views.attachment_file, name="attachment_file"),
]
