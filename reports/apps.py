from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan Pelanggaran")

    def ready(self) -> None:
        # Connects the receivers that end a reporter's follow-up session at login and logout.
        from accounts import audit
        from reports import (
            followup,  # noqa: F401
            notifications,
        )
        from reports.access import hidden_audit_events

        audit.hide_events(hidden_audit_events)
        # The preferences page and the sending task learn this app's notifications from it.
        notifications.register()
        # The recap page (facilities.recap) learns this app's block from it.
        from reports import recap

        recap.register()
