from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    # Public: intake and follow-up with the receipt code.
    path("lapor/", views.intake, name="intake"),
    path("lapor/terkirim/", views.receipt, name="receipt"),
    path("lapor/tanda-terima.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("lapor/cek/", views.check, name="check"),
    path("lapor/cek/laporan/", views.followup_page, name="followup"),
    path("lapor/cek/pesan/", views.followup_message, name="followup_message"),
    path("lapor/cek/bukti/", views.followup_evidence, name="followup_evidence"),
    path("lapor/cek/keluar/", views.followup_end, name="followup_end"),
    # Handlers.
    path("laporan/", views.report_list, name="list"),
    path("laporan/ekspor.xlsx", views.report_export, name="export"),
    path("laporan/rekap/", views.recap_view, name="recap"),
    path("laporan/rekap.xlsx", views.recap_export, name="recap_export"),
    path("laporan/<int:report_id>/", views.report_detail, name="detail"),
    path("laporan/<int:report_id>/status/<slug:target>/", views.report_transition, name="transition"),
    path("laporan/<int:report_id>/pesan/", views.report_message, name="message"),
    path("laporan/<int:report_id>/terlapor/", views.report_reported_employee, name="reported_employee"),
    path("laporan/<int:report_id>/penanganan/", views.report_handling, name="handling"),
    path("laporan/<int:report_id>/bukti/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
