"""A systematic access sweep over every URL of the project.

The URL resolver is walked as a whole. Each named URL must be either in
PUBLIC (open to anyone), in NO_OBJECT (needs a login but takes no object id)
or in OBJECT_URLS (takes object ids: swept across scopes). A URL in none of
them fails `test_every_url_is_classified`, so a new view cannot be added
without its access being considered here.

Two worlds are built with the existing factories, A (region A, facility A1)
and B (region B, facility B1), each with a facility head, a regional admin, a
staff member with an employee record and a login, an appointed and
inaugurated task force with a Ketua and a member login, an activity with an
attachment, a pact campaign for its UPT with a signature, a paper batch and
an archive export, a report with evidence and a staged roster import.

- Anonymous visitors get the login page (or 403/404/405) for every URL that
  is not public, never a page.
- World A's facility head, task force member, staff member and regional
  admin, and a former member of world B's task force since transferred to
  A1, ask for world B's objects: 403 or 404 on GET, and on POST where the
  view accepts POST, with the database unchanged afterwards.
- A positive control per URL: the right user of world B gets in, which
  proves that the URL kwargs were right.
- URLs with two ids get one from each world (the parent from A, the child
  from B), asked by the right user of world A.
- The object-free pages, opened by world A's users, never name world B.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import UnorderedObjectListWarning
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import factories

LOGIN_URL = "/akun/masuk/"
SKIPPED_PREFIXES = ("admin/", "i18n/", "static/", "media/", "__debug__/")

# Open to anyone; each is safe without a login by design.
PUBLIC = {
    "home",  # landing page (redirects a logged-in user to the dashboard)
    "healthz",  # liveness for the load balancer
    "/favicon.ico",  # unnamed: a redirect to the static icon
    "accounts:login",
    "accounts:logout",  # POST; ends whatever session there is
    "accounts:activate",  # set the first password with the printed activation code
    "reports:intake",  # anyone may report, without an account
    "reports:receipt",  # shows the receipt code once, from the session
    "reports:receipt_pdf",  # POST with the receipt code
    "reports:check",  # enter the receipt code
    "reports:followup",  # the reporter's own report, from the session the code opened
    "reports:followup_message",
    "reports:followup_evidence",
    "reports:followup_end",
    "pledges:verify_index",  # public verification of a certificate
    "pledges:verify",
}

# Login required, no object id: the anonymous sweep and the "never names world B" check.
NO_OBJECT = {
    "dashboard",
    "accounts:password_change",
    "accounts:notifications",  # the user's own address and choice of emails
    "facilities:facility_list",
    "facilities:facility_create",
    "facilities:roster_template",
    "facilities:recap",
    "facilities:recap_export",
    "facilities:recap_pdf",
    "satgas:list",
    "satgas:create",
    "satgas:overview",
    "satgas:overview_export",
    "satgas:inaugurate",
    "satgas:period_list",
    "satgas:period_create",
    "pledges:index",
    "pledges:text_list",
    "pledges:text_create",
    "pledges:campaign_create",
    "reports:list",
    "reports:export",
    "reports:recap",
    "reports:recap_export",
}

# URL kwarg → the world's object it names. An unknown kwarg fails the sweep.
KWARGS = {
    "facility_id": lambda w: w.facility.pk,
    "region_id": lambda w: w.region.pk,
    "employee_id": lambda w: w.staff_employee.pk,
    "user_id": lambda w: w.users["staff"].pk,
    "import_id": lambda w: w.roster_import.pk,
    "task_force_id": lambda w: w.task_force.pk,
    "membership_id": lambda w: w.membership.pk,
    "inauguration_id": lambda w: w.inauguration.pk,
    "period_id": lambda w: w.period.pk,
    "activity_id": lambda w: w.activity.pk,
    "attachment_id": lambda w: w.attachment.pk,
    "text_id": lambda w: w.campaign.text_id,
    "campaign_id": lambda w: w.campaign.pk,
    "signature_id": lambda w: w.signature.pk,
    "batch_id": lambda w: w.paper_batch.pk,
    "export_id": lambda w: w.export.pk,
    "report_id": lambda w: w.report.pk,
    "evidence_id": lambda w: w.evidence.pk,
    # Not an id: a transition a new report can take.
    "target": lambda w: "verifying",
}

GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Spec:
    """How one URL is swept: its methods, who of world B gets in and with what, and a POST body."""

    methods: tuple[str, ...]
    owner: str  # the role (of world B, or "national") the positive control logs in as
    ok: int = 200  # what the owner gets (200, or a redirect that is not to the login page)
    data: object = field(default=lambda w: {})  # POST body, built from the world the URL points at
    # Kwargs this URL takes from another object of the world than KWARGS says (e.g. a queued import).
    objects: dict = field(default_factory=dict)


def _today() -> str:
    return timezone.localdate().isoformat()


_CHANGE = lambda w: {"date": _today(), "reason": "Mutasi", "decree_reference": "W.99-SK-UBAH"}  # noqa: E731

OBJECT_URLS: dict[str, Spec] = {
    # accounts
    "facilities:issue_codes": Spec((POST,), "head", data=lambda w: {"employee": [w.spare_employee.pk]}),
    "facilities:reset_password": Spec((POST,), "head"),
    # facilities
    "facilities:roster": Spec((GET,), "head"),
    "facilities:facility_edit": Spec((GET, POST), "regional", data=lambda w: {"name": "Diubah", "city": "X"}),
    "facilities:employee_create": Spec(
        (GET, POST),
        "head",
        data=lambda w: {"name": "Pegawai Titipan", "employment_type": "PPNPN", "identifier": "3301051204900099"},
    ),
    "facilities:roster_import": Spec((GET, POST), "head"),
    "facilities:roster_import_preview": Spec((GET, POST), "head", data=lambda w: {"action": "cancel"}),
    # A large import whose background apply failed: its status page and its "Coba lagi" button.
    "facilities:roster_import_status": Spec((GET,), "head", objects={"import_id": lambda w: w.queued_import.pk}),
    "facilities:roster_import_retry": Spec(
        (POST,), "head", ok=302, objects={"import_id": lambda w: w.queued_import.pk}
    ),
    "facilities:roster_export": Spec((GET,), "head"),
    "facilities:employee_detail": Spec((GET,), "staff"),
    "facilities:employee_edit": Spec((GET, POST), "head", data=lambda w: {"name": "Diubah"}),
    "facilities:employee_set_active": Spec((POST,), "head", ok=302, data=lambda w: {"active": "0"}),
    "facilities:employee_transfer": Spec(
        (GET, POST), "regional", data=lambda w: {"facility": w.facility.pk, "date": _today(), "note": "x"}
    ),
    # satgas
    "satgas:inauguration_photo": Spec((GET,), "regional"),
    "satgas:period_edit": Spec((GET, POST), "national", data=lambda w: {"name": "Diubah"}),
    "satgas:facility": Spec((GET,), "head", ok=302),
    "satgas:detail": Spec((GET,), "satgas"),
    "satgas:appoint": Spec((GET, POST), "head", ok=302),
    "satgas:decree_file": Spec((GET,), "satgas"),
    "satgas:membership_pdf": Spec((GET,), "satgas"),
    "satgas:member_add": Spec(
        (GET, POST),
        "head",
        data=lambda w: {**_CHANGE(w), "employee": w.spare_employee.pk, "role": "ANGGOTA"},
    ),
    "satgas:member_replace": Spec((GET, POST), "head", data=lambda w: {**_CHANGE(w), "employee": w.spare_employee.pk}),
    "satgas:member_remove": Spec((GET, POST), "head", data=_CHANGE),
    "satgas:end": Spec((GET, POST), "head", data=lambda w: {"reason": "Masa tugas selesai"}),
    "satgas:activity_list": Spec((GET,), "satgas"),
    "satgas:activity_export": Spec((GET,), "satgas"),
    "satgas:activity_create": Spec(
        (GET, POST),
        "satgas",
        data=lambda w: {
            "date": "2024-02-06",
            "kind": "APEL",
            "topic": "Titipan",
            "place": "Aula",
            "participant_count": "5",
        },
    ),
    "satgas:activity_detail": Spec((GET,), "satgas"),
    "satgas:activity_edit": Spec(
        (GET, POST),
        "satgas",
        data=lambda w: {
            "date": "2024-02-06",
            "kind": "APEL",
            "topic": "Diubah",
            "place": "Aula",
            "participant_count": "5",
        },
    ),
    "satgas:attachment_file": Spec((GET,), "satgas"),
    # pledges
    "pledges:text_detail": Spec((GET,), "national"),
    "pledges:text_edit": Spec((GET, POST), "national", data=lambda w: {"title": "Diubah"}),
    "pledges:campaign_detail": Spec((GET,), "head", ok=302),
    "pledges:sign": Spec((GET, POST), "satgas", data=lambda w: {"typed_name": w.staff_employee.name, "consent": "on"}),
    "pledges:region_completion": Spec((GET,), "regional"),
    "pledges:region_export": Spec((GET,), "regional"),
    "pledges:facility_completion": Spec((GET,), "head"),
    "pledges:facility_export": Spec((GET,), "head"),
    "pledges:paper_batch_create": Spec(
        (GET, POST),
        "head",
        data=lambda w: {"employee": [w.spare_employee.pk], "signed_on": _today(), "place": "Apel"},
    ),
    "pledges:batch_create": Spec((POST,), "head", ok=302),
    "pledges:batch_status": Spec((GET,), "head"),
    "pledges:batch_status_json": Spec((GET,), "head"),
    # The world's archive is finished: the right user is told only failed ones can be tried again.
    "pledges:batch_retry": Spec((POST,), "head", ok=302),
    "pledges:batch_download": Spec((GET,), "head"),
    "pledges:signature_detail": Spec((GET,), "staff"),
    "pledges:certificate": Spec((GET,), "staff"),
    "pledges:revoke": Spec((GET, POST), "regional", data=lambda w: {"reason": "Salah orang"}),
    "pledges:paper_scan": Spec((GET,), "head"),
    # reports
    "reports:detail": Spec((GET,), "satgas"),
    "reports:transition": Spec(
        (POST,), "satgas", ok=302, data=lambda w: {"t-verifying-target": "verifying", "t-verifying-public_note": ""}
    ),
    "reports:message": Spec((POST,), "satgas", ok=302, data=lambda w: {"body": "Mohon bukti tambahan."}),
    "reports:evidence": Spec((GET,), "satgas"),
    "reports:reported_employee": Spec(
        (POST,), "satgas", ok=302, data=lambda w: {"reported_employee": w.spare_employee.pk}
    ),
    "reports:handling": Spec(
        (POST,), "regional", ok=302, data=lambda w: {"handling": "region", "reason": "Diambil alih Kanwil"}
    ),
}

# World A's users; "moved" was a member of world B's task force until their transfer (mutasi) to A1.
ATTACKERS = ["head", "satgas", "staff", "regional", "moved"]


# --- The URL map ---------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + tuple(getattr(entry.pattern, "converters", {}))
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, names)
        elif isinstance(entry, URLPattern):
            # A URL without a name is classified by its path ("/favicon.ico").
            yield (f"{namespace}{entry.name}" if entry.name else f"/{route}"), route, names


def url_map() -> dict[str, tuple[str, tuple[str, ...]]]:
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    for name, route, names in _walk(get_resolver().url_patterns):
        found.setdefault(name, (route, names))
    return found


URLS = url_map()


def test_every_url_is_classified():
    unclassified = sorted(set(URLS) - PUBLIC - NO_OBJECT - set(OBJECT_URLS))
    assert not unclassified, (
        f"URLs whose access the sweep does not consider: {unclassified}. Add each to PUBLIC, NO_OBJECT or "
        "OBJECT_URLS in tests/accounts/test_access_sweep.py (a URL without a name by its path)."
    )
    stale = sorted((PUBLIC | NO_OBJECT | set(OBJECT_URLS)) - set(URLS))
    assert not stale, f"classified URLs that no longer exist: {stale}"
    assert not (PUBLIC & (NO_OBJECT | set(OBJECT_URLS)))
    assert not (NO_OBJECT & set(OBJECT_URLS))


def test_every_url_kwarg_maps_to_an_object():
    unknown = {name: kw for name, (_route, kwargs) in URLS.items() for kw in kwargs if kw not in KWARGS}
    public_only = {name: kw for name, kw in unknown.items() if name in PUBLIC}
    assert unknown == public_only, f"URL kwargs with no object in the sweep's table: {unknown}"
    without = sorted(name for name, (_route, kwargs) in URLS.items() if name in NO_OBJECT and kwargs)
    assert not without, f"NO_OBJECT URLs that take kwargs: {without}"
    assert all(URLS[name][1] for name in OBJECT_URLS), "OBJECT_URLS entries must take an id"


# --- Two worlds ----------------------------------------------------------------


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    from tests.satgas.factories import png_bytes

    upload = SimpleUploadedFile(name, png_bytes(), content_type="image/png")
    upload.kind = "png"
    return upload


def build_world(tag: str, period) -> SimpleNamespace:
    from facilities import actions as facility_actions
    from facilities.models import RosterApply
    from pledges import actions as pledge_actions
    from pledges.models import BatchExport, Campaign
    from reports import actions as report_actions
    from reports.models import Category
    from satgas import actions as satgas_actions
    from satgas.models import Activity, ElectionType, Membership
    from tests.facilities.rosterfiles import csv_bytes
    from tests.pledges import factories as pf
    from tests.reports.factories import jpeg_upload
    from tests.satgas import factories as sf

    region = factories.RegionalOfficeFactory(province=f"Provinsi Dunia {tag}", name=f"Kanwil Dunia {tag}")
    facility = factories.FacilityFactory(regional_office=region, name=f"Lapas Dunia {tag}", city=f"Kota {tag}")
    staff_employee = factories.EmployeeFactory(facility=facility, name=f"Pegawai Dunia {tag}")
    spare_employee = factories.EmployeeFactory(facility=facility, name=f"Cadangan Dunia {tag}")
    users = {
        "head": factories.facility_head(facility, username=f"kalapas.{tag}"),
        "regional": factories.regional_admin(region, username=f"kanwil.{tag}"),
        "staff": factories.staff_user(staff_employee),
    }
    task_force = sf.appointed(facility, period=period)
    task_force.decree_number = f"W.{tag}-SK-SATGAS"
    task_force.save(update_fields=["decree_number"])
    users["ketua"] = sf.ketua_login(task_force)
    users["satgas"] = sf.member_login(task_force)
    membership = task_force.memberships.current().get(employee__user=users["satgas"])
    inauguration = satgas_actions.inaugurate(
        users["regional"],
        region,
        [task_force],
        date=dt.date(2024, 1, 29),
        place="Aula Kanwil",
        official="Kakanwil",
        photo=png_upload("pengukuhan.png"),
    )
    task_force.refresh_from_db()
    activity = satgas_actions.record_activity(
        users["ketua"],
        task_force,
        Activity(
            date=dt.date(2024, 2, 5), kind="APEL", topic=f"Apel Dunia {tag}", place="Lapangan", participant_count=9
        ),
        [staff_employee],
        [png_upload()],
    )

    campaign = pf.CampaignFactory(name=f"Kampanye Dunia {tag}", scope=Campaign.Scope.FACILITIES)
    campaign.facilities.set([facility])
    signature = pf.signature(campaign, staff_employee)
    paper_worker = factories.EmployeeFactory(facility=facility, name=f"Penanda Kertas {tag}")
    paper_batch = pledge_actions.record_paper_signatures(
        users["head"],
        campaign,
        facility,
        [paper_worker],
        signed_on=timezone.localdate(),
        place="Apel pagi",
        scan=pf.pdf_file(),
    )
    export = BatchExport.objects.create(
        campaign=campaign,
        facility=facility,
        requested_by=users["head"],
        status=BatchExport.Status.DONE,
        total=1,
        done=1,
    )
    export.file.save("arsip.pdf", ContentFile(pf.pdf_bytes()), save=True)

    evidence_upload = jpeg_upload()
    evidence_upload.kind = "jpeg"
    report, _code = report_actions.submit_report(
        facility=facility,
        reported_employee=None,
        reported_description=f"Petugas Dunia {tag}",
        category=Category.MEDSOS_KAMPANYE,
        election_type=ElectionType.PILKADA,
        stage="",
        occurred_on=dt.date(2024, 10, 1),
        occurred_place="Facebook",
        description=f"Laporan Dunia {tag}",
        evidence=[evidence_upload],
    )
    # Reported by name at intake, not on the task force then; the scenarios below change that.
    suspect = factories.EmployeeFactory(facility=facility, name=f"Terlapor Dunia {tag}")
    users["suspect"] = factories.staff_user(suspect)
    suspect_upload = jpeg_upload()
    suspect_upload.kind = "jpeg"
    suspect_report, suspect_code = report_actions.submit_report(
        facility=facility,
        reported_employee=suspect,
        reported_description="",
        category=Category.FOTO,
        election_type=ElectionType.PILKADA,
        stage="",
        occurred_on=dt.date(2024, 10, 2),
        occurred_place="Instagram",
        description=f"Laporan Terlapor Dunia {tag}",
        evidence=[suspect_upload],
    )
    roster_import = facility_actions.stage_roster_import(
        users["head"],
        facility,
        "pegawai.csv",
        csv_bytes([[f"Impor Dunia {tag}", "PPNPN", "3301051204900003", "", "Pengemudi"]]),
        "csv",
    )
    queued_import = facility_actions.stage_roster_import(
        users["head"],
        facility,
        "pegawai-besar.csv",
        csv_bytes([[f"Impor Besar Dunia {tag}", "PPNPN", "3301051204900004", "", "Pengemudi"]]),
        "csv",
    )
    facility_actions.queue_roster_import(users["head"], queued_import)
    RosterApply.objects.filter(roster_import=queued_import).update(
        status=RosterApply.Status.FAILED, error="Terjadi kesalahan saat memproses (OSError)."
    )
    assert membership.role == Membership.Role.ANGGOTA
    return SimpleNamespace(
        tag=tag,
        region=region,
        facility=facility,
        staff_employee=staff_employee,
        spare_employee=spare_employee,
        users=users,
        period=period,
        task_force=task_force,
        membership=membership,
        inauguration=inauguration,
        activity=activity,
        attachment=activity.attachments.get(),
        campaign=campaign,
        signature=signature,
        paper_batch=paper_batch,
        export=export,
        report=report,
        evidence=report.evidence.get(),
        suspect=suspect,
        suspect_report=suspect_report,
        suspect_code=suspect_code,
        roster_import=roster_import,
        queued_import=queued_import,
        # Strings only world B's pages would show.
        markers=[
            facility.name,
            region.name,
            staff_employee.name,
            spare_employee.name,
            campaign.name,
            task_force.decree_number,
            f"Apel Dunia {tag}",
            f"Laporan Dunia {tag}",
            f"Laporan Terlapor Dunia {tag}",
            suspect.name,
            f"Impor Dunia {tag}",
        ],
    )


def moved_member(actor, source, destination):
    """A member of the source world's task force, transferred (mutasi) to the destination world's UPT."""
    from facilities import actions as facility_actions
    from tests.satgas.factories import MembershipFactory

    employee = factories.EmployeeFactory(facility=source.facility, name="Anggota Pindahan")
    user = factories.staff_user(employee)
    MembershipFactory(task_force=source.task_force, employee=employee, start_date=dt.date(2024, 1, 15))
    facility_actions.transfer_employee(actor, employee, destination.facility, timezone.localdate(), "Mutasi")
    return user


@pytest.fixture(scope="module")
def _sweep_worlds(django_db_setup, django_db_blocker):
    """Both worlds, built once for the module inside a transaction that is rolled back at its end.

    Each test still runs in its own savepoint (the `db` fixture), so what a
    test writes is undone before the next one.
    """
    from tests.satgas.factories import PeriodFactory

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            period = PeriodFactory(
                start_date=dt.date(2023, 11, 28), end_date=timezone.localdate() + dt.timedelta(days=365)
            )
            national = factories.national_admin(username="pusat.sweep")
            a, b = build_world("Alfa", period), build_world("Bravo", period)
            a.users["national"] = b.users["national"] = national
            a.users["moved"] = moved_member(national, b, a)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield a, b
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def worlds(_sweep_worlds, db):
    # The module's worlds first: asked for by name (getfixturevalue), fixtures are set up in the order
    # listed, and worlds built inside the test's own transaction would be rolled back after it.
    return _sweep_worlds


def _ids(name: str) -> list[str]:
    return [kw for kw in URLS[name][1] if kw.endswith("_id")]


def kwargs_for(name: str, world, parent=None) -> dict:
    """URL kwargs for `name` from `world`; with `parent`, every id but the last comes from the parent."""
    parents = _ids(name)[:-1] if parent is not None else []
    objects = OBJECT_URLS[name].objects if name in OBJECT_URLS else {}
    return {kw: objects.get(kw, KWARGS[kw])(parent if kw in parents else world) for kw in URLS[name][1]}


def snapshot() -> dict:
    """Every row of the project's own tables (and the M2M tables between them)."""
    state = {}
    for label in ("accounts", "facilities", "satgas", "pledges", "reports"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def _denied(response) -> bool:
    return response.status_code in (403, 404)


# --- Anonymous -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(NO_OBJECT | set(OBJECT_URLS)))
def test_anonymous_visitors_are_sent_to_the_login_page(client, worlds, name):
    _a, b = worlds
    url = reverse(name, kwargs=kwargs_for(name, b) if name in OBJECT_URLS else None)
    for method in (client.get, client.post):
        response = method(url)
        redirected = response.status_code == 302 and response.url.startswith(f"{LOGIN_URL}?next=")
        assert redirected or _denied(response), f"anonymous {method.__name__.upper()} {url}: {response.status_code}"


# Public URLs that only take a POST (with a receipt code or a session behind it).
PUBLIC_POST_ONLY = {
    "accounts:logout",
    "reports:receipt_pdf",
    "reports:followup_message",
    "reports:followup_evidence",
    "reports:followup_end",
}


@pytest.mark.parametrize("name", sorted(PUBLIC - PUBLIC_POST_ONLY))
def test_public_pages_open_without_a_login(client, worlds, name):
    _a, b = worlds
    kwargs = {"code": b.signature.verification_code} if name == "pledges:verify" else None
    response = client.get(name if name.startswith("/") else reverse(name, kwargs=kwargs))
    assert response.status_code in (200, 302), f"{name}: {response.status_code}"


# --- Across scopes -------------------------------------------------------------


@pytest.mark.parametrize("role", ATTACKERS)
@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_world_a_cannot_reach_world_b(client, worlds, name, role):
    a, b = worlds
    spec = OBJECT_URLS[name]
    url = reverse(name, kwargs=kwargs_for(name, b))
    client.force_login(a.users[role])
    if GET in spec.methods:
        response = client.get(url)
        assert _denied(response), f"GET {url} ({name}) as world A's {role}: {response.status_code}"
    if POST in spec.methods:
        before = snapshot()
        response = client.post(url, spec.data(b))
        assert _denied(response), f"POST {url} ({name}) as world A's {role}: {response.status_code}"
        assert snapshot() == before, f"POST {url} ({name}) as world A's {role} changed the database"


@pytest.mark.parametrize("name", sorted(OBJECT_URLS))
def test_the_right_user_of_world_b_gets_in(client, worlds, name):
    """The positive control: the same URL works for its owner, so the kwargs above were right."""
    _a, b = worlds
    spec = OBJECT_URLS[name]
    url = reverse(name, kwargs=kwargs_for(name, b))
    client.force_login(b.users[spec.owner])
    if GET in spec.methods:
        response = client.get(url)
    else:
        response = client.post(url, spec.data(b))
    assert response.status_code == spec.ok, f"{name} as world B's {spec.owner}: {response.status_code}"
    if response.status_code == 302:
        assert not response.url.startswith(LOGIN_URL)


MIXED = sorted(name for name in OBJECT_URLS if len(_ids(name)) > 1)


@pytest.mark.parametrize("name", MIXED)
def test_a_child_of_world_b_under_a_parent_of_world_a_is_not_found(client, worlds, name):
    """E.g. world A's report with world B's evidence id, asked by world A's handler."""
    a, b = worlds
    spec = OBJECT_URLS[name]
    url = reverse(name, kwargs=kwargs_for(name, b, parent=a))
    client.force_login(a.users[spec.owner])
    before = snapshot()
    response = client.get(url) if GET in spec.methods else client.post(url, spec.data(b))
    assert _denied(response), f"{url} ({name}) as world A's {spec.owner}: {response.status_code}"
    assert snapshot() == before


# --- Pages without an object -----------------------------------------------------


def _text_of(response) -> str:
    """The page's HTML, or every cell of a spreadsheet download."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        import io

        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if "html" in content_type or "json" in content_type:
        return response.content.decode()
    return ""


@pytest.mark.parametrize("role", [*ATTACKERS, "ketua"])
def test_pages_without_an_object_never_name_world_b(client, worlds, role):
    a, b = worlds
    client.force_login(a.users[role])
    leaks = []
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        for name in sorted(NO_OBJECT):
            response = client.get(reverse(name))
            assert response.status_code < 500, name
            if response.status_code != 200:
                continue
            page = _text_of(response)
            leaks += [f"{name}: {marker}" for marker in b.markers if marker in page]
    assert not leaks, f"world A's {role} sees world B: {leaks}"


def test_list_pages_are_ordered_for_the_national_admin(client, worlds):
    """Every paginated list, with both worlds in it, without UnorderedObjectListWarning."""
    _a, b = worlds
    client.force_login(b.users["national"])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        for name in sorted(NO_OBJECT):
            assert client.get(reverse(name)).status_code in (200, 302, 403, 404), name
        for name in ("facilities:roster", "satgas:activity_list", "pledges:facility_completion"):
            assert client.get(reverse(name, kwargs=kwargs_for(name, b))).status_code == 200, name


# --- World B's ids in the body of world A's forms ----------------------------------


def _pdf_upload():
    from tests.pledges.factories import pdf_bytes

    return SimpleUploadedFile("lembar.pdf", pdf_bytes(), content_type="application/pdf")


def _b_footprint(b) -> dict:
    """What a smuggled id could change in world B, read fresh from the database."""
    from facilities.models import Employee, Facility
    from pledges.models import Signature
    from reports.models import Report
    from satgas.models import Membership, TaskForce

    spare = Employee.objects.get(pk=b.spare_employee.pk)
    return {
        "spare": (spare.facility_id, spare.user_id, spare.is_active),
        "memberships": sorted(Membership.objects.filter(employee__facility=b.facility).values_list("pk", "end_date")),
        "signatures": sorted(Signature.objects.filter(employee__facility=b.facility).values_list("pk", flat=True)),
        "participations": sorted(b.staff_employee.task_force_activities.values_list("pk", flat=True)),
        "task_force": TaskForce.objects.filter(pk=b.task_force.pk).values_list("state", "inauguration_id").get(),
        "facilities": sorted(Facility.objects.filter(regional_office=b.region).values_list("pk", "name", "head_id")),
        "employees": sorted(Employee.objects.filter(facility=b.facility).values_list("pk", flat=True)),
        "reports": sorted(Report.objects.filter(facility=b.facility).values_list("pk", "reported_employee_id")),
    }


_DATE = {"date": "2024-06-03"}
FOREIGN_BODIES = {
    # case: (URL name, world A's kwargs, who of world A posts, body with world B's ids)
    "codes for B's employee": (
        "facilities:issue_codes",
        lambda a: {"facility_id": a.facility.pk},
        "head",
        lambda a, b: {"employee": [b.spare_employee.pk]},
    ),
    "B's employee added to A's task force": (
        "satgas:member_add",
        lambda a: {"task_force_id": a.task_force.pk},
        "head",
        lambda a, b: {**_CHANGE(b), "employee": b.spare_employee.pk, "role": "ANGGOTA"},
    ),
    "B's employee replacing in A's task force": (
        "satgas:member_replace",
        lambda a: {"task_force_id": a.task_force.pk, "membership_id": a.membership.pk},
        "head",
        lambda a, b: {**_CHANGE(b), "employee": b.spare_employee.pk},
    ),
    "B's employee on A's paper sheet": (
        "pledges:paper_batch_create",
        lambda a: {"campaign_id": a.campaign.pk, "facility_id": a.facility.pk},
        "head",
        lambda a, b: {"employee": [b.spare_employee.pk], "signed_on": _today(), "place": "Apel", "scan": _pdf_upload()},
    ),
    "B's employee as participant of A's activity": (
        "satgas:activity_create",
        lambda a: {"task_force_id": a.task_force.pk},
        "satgas",
        lambda a, b: {
            "date": "2024-02-06",
            "kind": "APEL",
            "topic": "Titipan",
            "place": "Aula",
            "participant_count": "5",
            "participants": [b.staff_employee.pk],
        },
    ),
    "A's employee transferred into B": (
        "facilities:employee_transfer",
        lambda a: {"employee_id": a.staff_employee.pk},
        "regional",
        lambda a, b: {"facility": b.facility.pk, "note": "titipan", **_DATE},
    ),
    "B's task force in A's inauguration": (
        "satgas:inaugurate",
        lambda a: {},
        "regional",
        lambda a, b: {"task_forces": [b.task_force.pk], "place": "Aula", "official": "Kakanwil", **_DATE},
    ),
    "a UPT created in region B": (
        "facilities:facility_create",
        lambda a: {},
        "regional",
        lambda a, b: {
            "regional_office": b.region.pk,
            "name": "Lapas Titipan",
            "type": "LAPAS",
            "facility_class": "IIA",
            "city": "Kota Titipan",
            "is_active": "on",
        },
    ),
    "A's UPT moved into region B with B's head": (
        "facilities:facility_edit",
        lambda a: {"facility_id": a.facility.pk},
        "regional",
        lambda a, b: {
            "regional_office": b.region.pk,
            "name": a.facility.name,
            "type": "LAPAS",
            "facility_class": "IIA",
            "city": "Kota",
            "head": b.spare_employee.pk,
            "is_active": "on",
        },
    ),
    "a report on A's UPT naming B's employee": (
        "reports:intake",
        lambda a: {},
        None,
        lambda a, b: {
            "facility": a.facility.pk,
            "reported_employee": b.staff_employee.pk,
            "reported_description": "",
            "category": "MEDSOS_KAMPANYE",
            "election_type": "PILKADA",
            "stage": "",
            "occurred_on": "2024-10-01",
            "occurred_place": "Grup WhatsApp",
            "description": "Membagikan ajakan memilih.",
            "is_anonymous": "on",
            "reporter_name": "",
            "reporter_contact": "",
            "website": "",
        },
    ),
}


@pytest.mark.parametrize("case", sorted(FOREIGN_BODIES))
def test_world_b_ids_in_world_a_forms_change_nothing_in_world_b(client, worlds, case):
    a, b = worlds
    name, kwargs, role, body = FOREIGN_BODIES[case]
    if role is not None:
        client.force_login(a.users[role])
    before = _b_footprint(b)
    response = client.post(reverse(name, kwargs=kwargs(a) or None), body(a, b))
    assert response.status_code < 500, f"{case}: {response.status_code}"
    assert _b_footprint(b) == before, f"{case}: world B changed"


# --- Reports over time: access follows the facts at the moment of reading ------------------

REPORT_URLS = sorted(name for name in OBJECT_URLS if "report_id" in URLS[name][1])


def _reachable(client, user, world, report) -> list[str]:
    """What `user` can still reach of `report`: every report URL (GET and POST), the list and the export."""
    client.force_login(user)
    reached = []
    for name in REPORT_URLS:
        spec = OBJECT_URLS[name]
        kwargs = kwargs_for(name, world) | {"report_id": report.pk}
        if "evidence_id" in kwargs:
            kwargs["evidence_id"] = report.evidence.get().pk
        url = reverse(name, kwargs=kwargs)
        if GET in spec.methods and not _denied(client.get(url)):
            reached.append(f"GET {name}")
        if POST in spec.methods:
            before = snapshot()
            if not _denied(client.post(url, spec.data(world))):
                reached.append(f"POST {name}")
            if snapshot() != before:
                reached.append(f"POST {name} changed the database")
    for name in ("reports:list", "reports:export"):
        response = client.get(reverse(name))
        if response.status_code == 200 and report.reference in _text_of(response):
            reached.append(name)
    return reached


def _sees(client, user, report) -> bool:
    client.force_login(user)
    return client.get(reverse("reports:detail", kwargs={"report_id": report.pk})).status_code == 200


def _appoint(client, world, employee):
    """The head puts `employee` on the task force in place of the member transferred away (mutasi)."""
    client.force_login(world.users["head"])
    moved = world.task_force.memberships.current().exclude(employee__facility=world.facility).get()
    response = client.post(
        reverse("satgas:member_replace", kwargs={"task_force_id": world.task_force.pk, "membership_id": moved.pk}),
        {**_CHANGE(world), "employee": employee.pk},
    )
    assert response.status_code == 302, response.context["form"].errors
    return world.task_force.memberships.current().get(employee=employee)


def test_a_reported_person_appointed_to_the_task_force_later_is_shut_out_and_so_is_the_task_force(client, worlds):
    _a, b = worlds
    report = b.suspect_report
    assert _sees(client, b.users["satgas"], report)
    _appoint(client, b, b.suspect)
    for role in ("suspect", "satgas", "ketua"):
        assert not _reachable(client, b.users[role], b, report), role
    assert _sees(client, b.users["regional"], report) and _sees(client, b.users["national"], report)


def test_the_task_force_regains_the_case_when_the_reported_member_is_replaced(client, worlds):
    _a, b = worlds
    report = b.suspect_report
    membership = _appoint(client, b, b.suspect)
    assert not _sees(client, b.users["satgas"], report)
    client.force_login(b.users["head"])
    response = client.post(
        reverse("satgas:member_replace", kwargs={"task_force_id": b.task_force.pk, "membership_id": membership.pk}),
        {**_CHANGE(b), "employee": b.spare_employee.pk},
    )
    assert response.status_code == 302
    assert _sees(client, b.users["satgas"], report) and _sees(client, b.users["ketua"], report)
    assert not _reachable(client, b.users["suspect"], b, report)


def test_a_reported_person_made_facility_head_later_is_shut_out_and_so_is_the_task_force(client, worlds):
    _a, b = worlds
    report = b.suspect_report
    assert _sees(client, b.users["satgas"], report)
    client.force_login(b.users["regional"])
    response = client.post(
        reverse("facilities:facility_edit", kwargs={"facility_id": b.facility.pk}),
        {
            "regional_office": b.region.pk,
            "name": b.facility.name,
            "type": b.facility.type,
            "facility_class": b.facility.facility_class,
            "city": b.facility.city,
            "head": b.suspect.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    b.suspect.user.role, b.suspect.user.facility = "facility_head", b.facility  # and given the head's login role
    b.suspect.user.save()
    _appoint(client, b, b.spare_employee)  # the new head's first act; nothing about the report shows
    for role in ("suspect", "satgas", "ketua"):
        assert not _reachable(client, b.users[role], b, report), role
    assert _sees(client, b.users["regional"], report)


def test_a_reported_person_linked_by_a_handler_during_verification_is_shut_out(client, worlds):
    _a, b = worlds
    report = b.report  # described in words at intake
    ketua = b.users["ketua"]
    assert _sees(client, ketua, report)
    client.force_login(b.users["satgas"])
    url = reverse("reports:transition", kwargs={"report_id": report.pk, "target": "verifying"})
    assert client.post(url, {"t-verifying-target": "verifying"}).status_code == 302
    url = reverse("reports:reported_employee", kwargs={"report_id": report.pk})
    assert client.post(url, {"reported_employee": ketua.employee.pk}).status_code == 302
    # The Ketua is the reported person now; the task force they sit on loses the case with them.
    for role in ("ketua", "satgas"):
        assert not _reachable(client, b.users[role], b, report), role
    assert _sees(client, b.users["regional"], report)


def test_the_task_force_regains_the_case_by_the_regional_office_decision_but_never_the_reported_person(client, worlds):
    _a, b = worlds
    report = b.suspect_report
    _appoint(client, b, b.suspect)
    assert not _sees(client, b.users["satgas"], report)
    client.force_login(b.users["regional"])
    url = reverse("reports:handling", kwargs={"report_id": report.pk})
    assert (
        client.post(url, {"handling": "task_force", "reason": "Terlapor dinonaktifkan dari Satgas"}).status_code == 302
    )
    assert _sees(client, b.users["satgas"], report) and _sees(client, b.users["ketua"], report)
    assert not _reachable(client, b.users["suspect"], b, report)
    client.force_login(b.users["regional"])
    assert client.post(url, {"handling": "rule", "reason": ""}).status_code == 302
    assert not _sees(client, b.users["satgas"], report)


# --- No public page lists the roster ------------------------------------------------------


def _roster_names(world) -> list[str]:
    from facilities.models import Employee

    return list(Employee.objects.filter(facility=world.facility).values_list("name", flat=True))


def test_no_public_page_lists_anyone_on_a_roster(client, worlds):
    """Every public page, with and without a UPT chosen, a search and a bad form; the follow-up of a report that
    names someone. pledges:verify is left out: it names the one signer of the certificate whose code is given."""
    _a, b = worlds
    names = _roster_names(b)
    assert b.suspect.name in names and len(names) >= 6
    pages = []
    for name in sorted(PUBLIC - PUBLIC_POST_ONLY - {"pledges:verify"}):
        url = name if name.startswith("/") else reverse(name)
        for params in ({}, {"upt": b.facility.pk}, {"upt": b.facility.pk, "q": "Dunia"}, {"q": "Dunia"}):
            pages.append((f"GET {name} {params}", client.get(url, params)))
    pages.append(("POST intake", client.post(reverse("reports:intake"), {"facility": b.facility.pk})))
    pages.append(("POST check", client.post(reverse("reports:check"), {"code": b.suspect_code})))
    pages.append(("GET followup", client.get(reverse("reports:followup"))))
    assert pages[-1][1].status_code == 200
    leaks = [f"{label}: {person}" for label, response in pages for person in names if person in _text_of(response)]
    assert not leaks, leaks
