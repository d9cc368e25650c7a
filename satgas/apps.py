from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatgasConfig(AppConfig):
    name = "satgas"
    verbose_name = _("Satgas Netralitas")

    def ready(self) -> None:
        # The recap page (facilities.recap) learns this app's block from it.
        from satgas import recap

        recap.register()
