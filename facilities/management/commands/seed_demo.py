"""Load the demo data. Idempotent: run it as often as you like.

Each app may have a `demo.py` with a `seed(log)` function; they run in the
order of LOCAL_APPS, so the task forces find the rosters they need.

It creates logins whose password is published in the README, so it refuses to run
with DEBUG=0 (production) unless given --force.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from facilities.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create or refresh the demo regions, facilities, rosters and logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG=0 (a demonstration server; never a real one).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG=0: this looks like production, and seed_demo would create logins whose password "
                f"({DEMO_PASSWORD}) is published in the README. Nothing was changed. "
                "Run it with --force only on a demonstration server."
            )
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
