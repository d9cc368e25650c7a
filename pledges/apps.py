from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Pakta Integritas")

    def ready(self) -> None:
        # Signing needs sudo mode, which learns the login time from this receiver.
        import accounts.sudo  # noqa: F401
        from pledges import notifications

        # The preferences page and the sending task learn this app's notifications from it.
        notifications.register()
        # The recap page (facilities.recap) learns this app's block from it.
        from pledges import recap

        recap.register()
