from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("aktivasi/", views.activate, name="activate"),
    path("upt/<int:facility_id>/kode-aktivasi/", views.issue_codes, name="issue_codes"),
    path("pengguna/<int:user_id>/reset-sandi/", views.reset_password, name="reset_password"),
]
