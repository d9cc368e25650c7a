"""Build the national scale data set (issue 13): 38 Kanwil, ~700 UPT, 60,000 staff, ~700 task forces,
one open national campaign with ~52,000 signatures, 10,000 reports, and logins for every role.

Each app may have a `scale.py` with `build(scale)`; they run in LOCAL_APPS order
(as `seed_demo` runs the `demo.py` modules), inside one transaction, with bulk
inserts only. The sizes follow --staff; --facilities and --reports override
their share. Dates are relative to the day of the run; for a given --seed and
day the data set is the same (except the random verification codes of
signatures, which signing never derives).
"""

from __future__ import annotations

import time
from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.models import User
from facilities.demo import DEMO_PASSWORD
from facilities.models import Employee, Facility, RegionalOffice
from facilities.scale import (
    MIN_STAFF_PER_FACILITY,
    NATIONAL_FACILITIES,
    NATIONAL_REPORTS,
    NATIONAL_STAFF,
    Scale,
    provinces,
)

SHOWN_PER_ROLE = 5


class Command(BaseCommand):
    help = (
        "Build the national scale data set with bulk inserts (for benchmarks). Refuses a database that already "
        "holds data, and DEBUG=0, unless --force; every login it makes has the demo password."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--staff", type=int, default=NATIONAL_STAFF, help="employees in all (default 60000)")
        parser.add_argument(
            "--facilities", type=int, help=f"UPTs (default {NATIONAL_FACILITIES} per {NATIONAL_STAFF} staff, min. 38)"
        )
        parser.add_argument(
            "--reports", type=int, help=f"violation reports (default {NATIONAL_REPORTS} per 60000 staff)"
        )
        parser.add_argument(
            "--past-campaigns", type=int, default=0, help="closed campaigns of earlier elections, with signatures"
        )
        parser.add_argument("--seed", type=int, default=13, help="seed of the generator (same seed and day, same data)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run with DEBUG=0, and on a database that holds data: it is flushed first (every table emptied)",
        )

    def _sizes(self, options) -> tuple[int, int, int]:
        staff = options["staff"]
        regions = len(provinces())
        facilities = options["facilities"] or max(regions, round(NATIONAL_FACILITIES * staff / NATIONAL_STAFF))
        reports = (
            options["reports"] if options["reports"] is not None else round(NATIONAL_REPORTS * staff / NATIONAL_STAFF)
        )
        if facilities < regions:
            raise CommandError(f"--facilities: at least one UPT per Kanwil ({regions}).")
        if staff < MIN_STAFF_PER_FACILITY * facilities:
            raise CommandError(
                f"--staff {staff}: {facilities} UPT need at least {MIN_STAFF_PER_FACILITY * facilities} staff "
                f"({MIN_STAFF_PER_FACILITY} each)."
            )
        if reports < 0 or options["past_campaigns"] < 0:
            raise CommandError("--reports and --past-campaigns cannot be negative.")
        return staff, facilities, reports

    def handle(self, *args, **options):
        staff, facilities, reports = self._sizes(options)
        force = options["force"]
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG=0: this looks like production. seed_scale makes logins with a published password; "
                "use --force if this really is a throw-away database."
            )
        holds_data = Facility.objects.exists() or RegionalOffice.objects.exists() or User.objects.exists()
        if holds_data and not force:
            raise CommandError(
                "This database already holds data (UPT, Kanwil or users). seed_scale builds on an empty database; "
                "--force empties it first (manage.py flush)."
            )
        if holds_data:
            self.stdout.write(self.style.WARNING("Emptying the database first (--force)."))
            call_command("flush", interactive=False, verbosity=0)

        started = time.perf_counter()
        scale = Scale(
            staff=staff,
            facilities=facilities,
            reports=reports,
            past_campaigns=options["past_campaigns"],
            seed=options["seed"],
            log=self.stdout.write,
        )
        self.stdout.write(
            f"Building: {staff} staff, {facilities} UPT, {reports} reports, "
            f"{options['past_campaigns']} past campaign(s), seed {options['seed']}"
        )
        with transaction.atomic():
            for app in settings.LOCAL_APPS:
                if find_spec(f"{app}.scale") is not None:
                    import_module(f"{app}.scale").build(scale)
        if connection.vendor == "postgresql":
            # Fresh statistics, so the first pages are planned on the real row counts.
            step = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            scale.step("ANALYZE", step)
        elapsed = time.perf_counter() - started
        self._report(scale, elapsed, options["verbosity"])

    def _report(self, scale: Scale, elapsed: float, verbosity: int) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(f"Scale data ready in {elapsed:.1f} s."))
        write("  " + ", ".join(f"{label} {count}" for label, count in scale.counts.items()))
        active = Employee.objects.filter(is_active=True).count()
        write(f"  active staff {active}; logins {User.objects.count()}")
        write(f"Logins (password for every one: {DEMO_PASSWORD}):")
        labels = {
            "admin": "admins (national, one per Kanwil)",
            "head": "facility heads",
            "satgas": "Ketua of inaugurated task forces",
            "staff": "staff (one per UPT; most other staff have a login too: username = NIP/NI PPPK/NIK)",
        }
        for kind, label in labels.items():
            logins = scale.logins.get(kind, [])
            write(f"  {label}: {len(logins)}")
            shown = logins if verbosity > 1 or kind == "admin" else logins[:SHOWN_PER_ROLE]
            for username, who in shown:
                write(f"    {username:<40} {who}")
            if len(shown) < len(logins):
                write(f"    … {len(logins) - len(shown)} more (all with -v 2)")
        codes = scale.extras.get("receipt_codes", [])
        if codes:
            write("Receipt codes for /lapor/cek/ (seed data only):")
            for code, report in codes:
                write(f"    {code}  {report.facility.name}, {report.get_state_display()}")
