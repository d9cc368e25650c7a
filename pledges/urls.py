from django.urls import path

from pledges import views

app_name = "pledges"

urlpatterns = [
    path("pakta/", views.index, name="index"),
    path("pakta/teks/", views.text_list, name="text_list"),
    path("pakta/teks/baru/", views.text_create, name="text_create"),
    path("pakta/teks/<int:text_id>/", views.text_detail, name="text_detail"),
    path("pakta/teks/<int:text_id>/ubah/", views.text_edit, name="text_edit"),
    path("pakta/kampanye/baru/", views.campaign_create, name="campaign_create"),
    path("pakta/kampanye/<int:campaign_id>/", views.campaign_detail, name="campaign_detail"),
    path("pakta/kampanye/<int:campaign_id>/tanda-tangan/", views.sign, name="sign"),
    path("pakta/kampanye/<int:campaign_id>/kanwil/<int:region_id>/", views.region_completion, name="region_completion"),
    path(
        "pakta/kampanye/<int:campaign_id>/kanwil/<int:region_id>/ekspor.xlsx",
        views.region_export,
        name="region_export",
    ),
    path(
        "pakta/kampanye/<int:campaign_id>/upt/<int:facility_id>/",
        views.facility_completion,
        name="facility_completion",
    ),
    path(
        "pakta/kampanye/<int:campaign_id>/upt/<int:facility_id>/ekspor.xlsx",
        views.facility_export,
        name="facility_export",
    ),
    path(
        "pakta/kampanye/<int:campaign_id>/upt/<int:facility_id>/kertas/",
        views.paper_batch_create,
        name="paper_batch_create",
    ),
    path("pakta/kampanye/<int:campaign_id>/upt/<int:facility_id>/cetak/", views.batch_create, name="batch_create"),
    path("pakta/cetak/<int:export_id>/", views.batch_status, name="batch_status"),
    path("pakta/cetak/<int:export_id>/status.json", views.batch_status_json, name="batch_status_json"),
    path("pakta/cetak/<int:export_id>/coba-lagi/", views.batch_retry, name="batch_retry"),
    path("pakta/cetak/<int:export_id>/unduh/", views.batch_download, name="batch_download"),
    path("pakta/tanda-tangan/<int:signature_id>/", views.signature_detail, name="signature_detail"),
    path("pakta/tanda-tangan/<int:signature_id>/sertifikat.pdf", views.certificate_download, name="certificate"),
    path("pakta/tanda-tangan/<int:signature_id>/cabut/", views.revoke, name="revoke"),
    path("pakta/kertas/<int:batch_id>/pindaian.pdf", views.paper_scan, name="paper_scan"),
    path("verifikasi/", views.verify_index, name="verify_index"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
]
