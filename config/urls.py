from django.contrib import admin
from django.urls import include, path

from core import views
from facilities import views as facilities_views

urlpatterns = [
    path("", facilities_views.home, name="home"),
    path("beranda/", facilities_views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    # Pages without our <link rel="icon"> (the Django admin) still ask for /favicon.ico.
    path("favicon.ico", views.favicon),
    path("akun/", include("accounts.urls")),
    path("upt/", include("facilities.urls")),
    # The domain apps own their URL prefixes (satgas/, pakta/, verifikasi/, lapor/, laporan/).
    path("", include("satgas.urls")),
    path("", include("pledges.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
