from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatgasConfig(AppConfig):
    name = "satgas"
    verbose_name = _("Satgas Netralitas")
