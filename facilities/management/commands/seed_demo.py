"""Load the demo data. Idempotent: run it as often as you like.

Each app may have a `demo.py` with a `seed(log)` function; they run in the
order of LOCAL_APPS, so the task forces find the rosters they need.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand

from facilities.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create or refresh the demo regions, facilities, rosters and logins."

    def handle(self, *args, **options):
        logins, staff_logins = [], []
        for app in settings.LOCAL_APPS:
            if find_spec(f"{app}.demo") is None:
                continue
            result = import_module(f"{app}.demo").seed(log=self.stdout.write) or {}
            logins += result.get("logins", [])
            staff_logins += result.get("staff_logins", [])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Password for every login: {DEMO_PASSWORD}"))
        for username, who in logins + staff_logins:
            self.stdout.write(f"  {username:<24} {who}")
