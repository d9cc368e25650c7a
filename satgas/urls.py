from django.urls import path  # noqa: F401

from satgas import views  # noqa: F401

app_name = "satgas"

urlpatterns: list = []
