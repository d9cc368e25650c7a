from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("UPT dan Pegawai")

    def ready(self) -> None:
        # The recap's own block (active staff); the domain apps register theirs from their ready().
        from facilities import recap_staff

        recap_staff.register()
