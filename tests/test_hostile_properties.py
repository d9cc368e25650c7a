"""Property-based hostile input (hypothesis): every public form, every public GET parameter, the
main logged-in forms and the list filters answer hostile values without a 500 or a stack trace.

Hostile values: Unicode digits ("²", "١"), NUL and other control characters, huge and negative
numbers, very long strings, path separators, dates far out of range, markup, and lists where a
field takes one value. Each form starts from a valid submission and replaces any of its fields
(and adds unexpected ones), so the examples reach past the first field check into the actions.

Examples are derandomized (the same on every run and in CI) and bounded; HOSTILE_EXAMPLES=200
runs a deeper search locally. Every request of an example runs in a transaction that is rolled
back, so examples (and rate-limit counters, which live in the database cache) do not pile up.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests import factories
from tests.accounts.test_access_sweep import OBJECT_URLS, PUBLIC, URLS, build_world, kwargs_for

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "30"))


def hostile(examples: int = EXAMPLES):
    return hypothesis_settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        # The client, the database and the world are meant to be shared by the examples of a test.
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# --- Hostile values ------------------------------------------------------------------

UNICODE_DIGITS = "²³¹١٢٣۴५൬๗០᠑０𝟎𝟗"
# One or two of each kind that has broken a parser somewhere; drawn most of the time.
NASTY = [
    "",
    " ",
    "²",
    "١٢٣",
    "1²",
    "-1",
    "0",
    "1e23",
    "9" * 30,
    str(-(2**63) - 1),
    "NaN",
    "\x00",
    "a\x00b",
    "\x01\x1b[31m\x7f\r\n",
    "\u202eabc\ufeff",
    "a/b",
    "../../etc/passwd",
    "%2F%00",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "99999-01-01",
    "2024-02-30",
    "A" * 5_000,
    "Ж" * 100_001,
    "<script>alert(1)</script>{{ 7*7 }}%s",
]
# Any code point a client can send (no surrogates), control characters included.
_chars = st.characters(codec="utf-8")
_other_text = st.one_of(
    st.text(_chars, max_size=30),
    st.text(st.sampled_from(UNICODE_DIGITS + "0123456789"), min_size=1, max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.isoformat()),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.isoformat(timespec="minutes")),
)
hostile_text = st.integers(0, 9).flatmap(lambda i: st.sampled_from(NASTY) if i < 6 else _other_text)
# A list where the field takes one value, one time in four.
hostile_value = st.integers(0, 3).flatmap(
    lambda i: st.lists(hostile_text, min_size=2, max_size=3) if i == 0 else hostile_text
)
# Text that can stand in a URL path segment (the resolver sees it decoded).
hostile_segment = hostile_text.filter(bool).map(lambda text: quote(text[:200], safe=""))

_FILE_CONTENTS = [
    b"",
    b"%PDF-1.4\n",
    b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"\x00\x00\x00\x18ftypmp42",
    b"PK\x03\x04",
    b"<html><script>alert(1)</script></html>",
    "Nama,Jenis Pegawai,NIP/NI PPPK/NIK\n²,PNS,١٩٩٠\n".encode(),
]
hostile_file = st.builds(
    lambda name, content: SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    st.sampled_from(["bukti.pdf", "foto.jpg", "../../x.pdf", "foto.html", "a" * 300 + ".png", "sk.pdf\u202e"]),
    st.one_of(st.sampled_from(_FILE_CONTENTS), st.binary(max_size=300)),
)


def form_data(base: dict, *, files: dict | None = None, extra: tuple[str, ...] = ()) -> st.SearchStrategy[dict]:
    """A valid submission with any of its fields replaced by a hostile value, and unexpected extra fields."""
    fields = {name: st.one_of(st.just(value), hostile_value) for name, value in base.items()}
    for name, valid in (files or {}).items():
        fields[name] = st.one_of(st.builds(valid), hostile_file, st.lists(hostile_file, min_size=2, max_size=3))
    optional = {name: hostile_value for name in ("id", "pk", "user", "facility_id", "csrfmiddlewaretoken", *extra)}
    return st.fixed_dictionaries(fields, optional=optional)


def query(names: tuple[str, ...]) -> st.SearchStrategy[dict]:
    """GET parameters: the page's own names and a few others, each hostile (or a list of them)."""
    return st.fixed_dictionaries(
        {}, optional={name: hostile_value for name in (*names, "page", "next", "q", "id", "format")}
    )


# --- Answers -------------------------------------------------------------------------

# What a hostile request may get: a page (with the form's errors), a redirect, a clear refusal.
ANSWERS = {200, 301, 302, 400, 403, 404, 405, 429}


def answer(client, method: str, url: str, data=None, **extra):
    """Send one request in a transaction that is rolled back; a 500 raises from the test client."""
    with transaction.atomic():
        response = getattr(client, method)(url, data if data is not None else {}, **extra)
        transaction.set_rollback(True)
    assert response.status_code in ANSWERS, f"{method.upper()} {url[:200]}: {response.status_code}"
    if not response.streaming:
        assert b"Traceback" not in response.content
    return response


# --- The world ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def _hostile_world(django_db_setup, django_db_blocker):
    """One world of the access sweep (every kind of object), plus what the public forms need.

    Built once for the module in a transaction rolled back at its end, as the sweep does.
    """
    from facilities import actions as facility_actions
    from satgas import actions as satgas_actions
    from tests.reports.factories import report_with_code
    from tests.satgas.factories import PeriodFactory

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            period = PeriodFactory(
                start_date=dt.date(2023, 11, 28), end_date=timezone.localdate() + dt.timedelta(days=365)
            )
            world = build_world("Hostil", period)
            world.users["national"] = factories.national_admin(username="pusat.hostil")
            world.sibling = factories.FacilityFactory(regional_office=world.region, name="Lapas Saudara Hostil")
            _report, world.receipt_code = report_with_code(facility=world.facility)
            [(_employee, world.activation_code)] = facility_actions.issue_activation_codes(
                world.users["head"], [world.spare_employee]
            )
            world.spare_employee.refresh_from_db()
            later = PeriodFactory(name="Pilkada Hostil", start_date=dt.date(2024, 1, 1), end_date=dt.date(2030, 1, 1))
            world.draft = satgas_actions.create_task_force(world.users["head"], world.facility, later)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_hostile_world, db) -> SimpleNamespace:
    # The module's world first (see test_access_sweep.worlds): never inside the test's transaction.
    return _hostile_world


def _today() -> str:
    return timezone.localdate().isoformat()


def _pdf():
    from tests.pledges.factories import pdf_bytes

    return SimpleUploadedFile("lembar.pdf", pdf_bytes(), content_type="application/pdf")


def _jpeg():
    from tests.reports.factories import jpeg_upload

    return jpeg_upload()


# --- Public forms --------------------------------------------------------------------


@hostile(EXAMPLES * 2)
@given(params=query(("upt", "ganti", "q")))
def test_intake_step_one_the_upt(client, world, params):
    answer(client, "get", "/lapor/", params)


def _report_base(world) -> dict:
    return {
        "facility": world.facility.pk,
        "reported_employee": "",
        "reported_description": "Petugas di bagian registrasi",
        "category": "MEDSOS_KAMPANYE",
        "election_type": "PILKADA",
        "stage": "",
        "occurred_on": "2024-10-01",
        "occurred_place": "Facebook",
        "description": "Mengunggah ajakan memilih pasangan calon.",
        "is_anonymous": "on",
        "reporter_name": "",
        "reporter_contact": "",
        "website": "",
    }


@hostile(EXAMPLES * 3)
@given(data=st.data())
def test_intake_step_two_the_report(client, world, data):
    body = data.draw(form_data(_report_base(world), files={"evidence": _jpeg}))
    answer(client, "post", "/lapor/", body)


@hostile(EXAMPLES * 2)
@given(body=form_data({"code": "RECEIPT"}))
def test_receipt_code_check(client, world, body):
    if body["code"] == "RECEIPT":
        body["code"] = world.receipt_code
    answer(client, "post", "/lapor/cek/", body)


@hostile(max(EXAMPLES // 2, 4))
@given(body=form_data({"code": "RECEIPT"}))
def test_receipt_pdf(client, world, body):
    if body["code"] == "RECEIPT":
        body["code"] = world.receipt_code
    answer(client, "post", "/lapor/tanda-terima.pdf", body)


@pytest.fixture
def reporter(client, world):
    """A client whose session follows the world's report (the receipt code was checked)."""
    response = client.post("/lapor/cek/", {"code": world.receipt_code})
    assert response.status_code == 302
    return client


@hostile(EXAMPLES * 2)
@given(body=form_data({"body": "Saya punya foto tambahan."}))
def test_follow_up_message(reporter, body):
    answer(reporter, "post", "/lapor/cek/pesan/", body)


@hostile(EXAMPLES)
@given(body=form_data({}, files={"evidence": _jpeg}))
def test_follow_up_evidence(reporter, body):
    answer(reporter, "post", "/lapor/cek/bukti/", body)


@hostile(EXAMPLES * 2)
@given(params=query(("code",)), segment=hostile_segment)
def test_verification_by_code(client, world, params, segment):
    answer(client, "get", "/verifikasi/", params)
    answer(client, "get", f"/verifikasi/{segment}/")


@hostile(EXAMPLES)
@given(body=form_data({}, files={"certificate": _pdf}, extra=("code",)))
def test_verification_by_pdf_upload(client, world, body):
    answer(client, "post", "/verifikasi/", body)


@hostile(EXAMPLES * 2)
@given(data=st.data())
def test_activation(client, world, data):
    base = {
        "username": world.spare_employee.identifier,
        "code": world.activation_code,
        "password1": "Sandi-baru-yang-kuat-77",
        "password2": "Sandi-baru-yang-kuat-77",
    }
    answer(client, "post", "/akun/aktivasi/", data.draw(form_data(base)))


@hostile(EXAMPLES * 2)
@given(data=st.data())
def test_login(client, world, data):
    base = {"username": world.users["staff"].username, "password": factories.PASSWORD}
    answer(client, "post", "/akun/masuk/", data.draw(form_data(base, extra=("next",))))


@hostile(EXAMPLES)
@given(body=form_data({"language": "en", "next": "/lapor/"}))
def test_language_switch(client, world, body):
    answer(client, "post", "/i18n/setlang/", body)
    answer(client, "get", "/i18n/setlang/", body)


@hostile(EXAMPLES)
@given(cookies=st.fixed_dictionaries({}, optional={n: hostile_text for n in ("sessionid", "csrftoken", "django_language", "messages")}))
def test_hostile_cookies(client, world, cookies):
    # A WSGI server hands headers over as latin-1 text: the UTF-8 bytes the client sent, one per character.
    header = "; ".join(f"{name}={value}" for name, value in cookies.items()).encode().decode("latin-1")
    answer(client, "get", "/lapor/", HTTP_COOKIE=header)
    answer(client, "post", "/lapor/cek/", {"code": "ABCD"}, HTTP_COOKIE=header)


def _public_url(name: str, world) -> str:
    if name.startswith("/"):
        return name
    kwargs = {"code": world.signature.verification_code} if name == "pledges:verify" else None
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_public_url_takes_hostile_get_parameters(client, world, name):
    """The public URLs as the access sweep classifies them (a new public URL joins automatically)."""
    url = _public_url(name, world)

    @hostile(EXAMPLES)
    @given(params=query(("upt", "ganti", "code", "status", "baru", "sudah", "language")))
    def run(params):
        answer(client, "get", url, params)

    run()


def test_the_public_urls_are_those_of_the_url_conf():
    assert PUBLIC <= set(URLS)


# --- Logged-in forms -------------------------------------------------------------------

_CHANGE = {"date": "2024-06-03", "reason": "Mutasi", "decree_reference": "W.99-SK-UBAH"}


def _roles(world, count: int = 3) -> dict:
    employees = list(world.facility.employees.active().order_by("pk")[:count])
    roles = ["KETUA", "SEKRETARIS", "ANGGOTA"]
    return {f"role_{e.pk}": roles[i % 3] for i, e in enumerate(employees)}


# name: (who posts, URL from the world, valid body from the world, upload fields)
STAFF_FORMS = {
    "employee create": (
        "head",
        lambda w: f"/upt/{w.facility.pk}/pegawai/tambah/",
        lambda w: {
            "name": "Budi Santoso",
            "employment_type": "PPNPN",
            "identifier": "3301051204900099",
            "rank": "",
            "position": "Pengemudi",
        },
        {},
    ),
    "employee edit": (
        "head",
        lambda w: f"/upt/pegawai/{w.spare_employee.pk}/ubah/",
        lambda w: {
            "name": w.spare_employee.name,
            "employment_type": w.spare_employee.employment_type,
            "identifier": w.spare_employee.identifier,
            "rank": w.spare_employee.rank,
            "position": "Staf",
            "loaded_version": w.spare_employee.updated_at.isoformat(),
        },
        {},
    ),
    "employee transfer": (
        "regional",
        lambda w: f"/upt/pegawai/{w.spare_employee.pk}/mutasi/",
        lambda w: {"facility": w.sibling.pk, "date": _today(), "note": "SK mutasi"},
        {},
    ),
    "facility edit": (
        "regional",
        lambda w: f"/upt/{w.facility.pk}/ubah/",
        lambda w: {
            "regional_office": w.region.pk,
            "name": w.facility.name,
            "type": w.facility.type,
            "facility_class": w.facility.facility_class,
            "city": "Cilacap",
            "address": "Jl. Nusakambangan",
            "head": "",
            "is_active": "on",
        },
        {},
    ),
    "task force draft": (
        "head",
        lambda w: f"/satgas/{w.draft.pk}/penetapan/",
        lambda w: {
            "action": "draft",
            "decree_number": "W.13-SK-1",
            "decree_date": "2024-01-15",
            "decree_signer": "Kalapas",
            **_roles(w),
        },
        {},
    ),
    "task force appoint": (
        "head",
        lambda w: f"/satgas/{w.draft.pk}/penetapan/",
        lambda w: {"decree_number": "W.13-SK-1", "decree_date": "2024-01-15", "decree_signer": "Kalapas", **_roles(w)},
        {"decree_file": _pdf},
    ),
    "member add": (
        "head",
        lambda w: f"/satgas/{w.task_force.pk}/anggota/tambah/",
        lambda w: {**_CHANGE, "employee": w.spare_employee.pk, "role": "ANGGOTA"},
        {},
    ),
    "member replace": (
        "head",
        lambda w: f"/satgas/{w.task_force.pk}/anggota/{w.membership.pk}/ganti/",
        lambda w: {**_CHANGE, "employee": w.spare_employee.pk},
        {},
    ),
    "member remove": (
        "head",
        lambda w: f"/satgas/{w.task_force.pk}/anggota/{w.membership.pk}/berhenti/",
        lambda w: dict(_CHANGE),
        {},
    ),
    "task force end": ("head", lambda w: f"/satgas/{w.task_force.pk}/akhiri/", lambda w: {"reason": "Selesai"}, {}),
    "inauguration": (
        "regional",
        lambda w: "/satgas/pengukuhan/",
        lambda w: {"task_forces": [w.task_force.pk], "date": "2024-01-29", "place": "Aula", "official": "Kakanwil"},
        {"photo": _jpeg},
    ),
    "activity create": (
        "ketua",
        lambda w: f"/satgas/{w.task_force.pk}/kegiatan/tambah/",
        lambda w: {
            "date": "2024-02-06",
            "kind": "APEL",
            "topic": "Apel netralitas",
            "place": "Aula",
            "participants": [w.staff_employee.pk],
            "participant_count": "5",
            "notes": "Catatan",
        },
        {"attachments": _jpeg},
    ),
    "activity create, other kind": (
        "ketua",
        lambda w: f"/satgas/{w.task_force.pk}/kegiatan/tambah/",
        lambda w: {
            "date": "2024-02-06",
            "kind": "LAINNYA",
            "kind_other": "Rapat koordinasi Satgas",
            "topic": "Koordinasi",
            "place": "Aula",
            "participant_count": "5",
        },
        {},
    ),
    "activity edit": (
        "ketua",
        lambda w: f"/satgas/kegiatan/{w.activity.pk}/ubah/",
        lambda w: {
            "date": "2024-02-06",
            "kind": "APEL",
            "topic": "Apel netralitas",
            "place": "Aula",
            "participants": [w.staff_employee.pk],
            "participant_count": "5",
            "notes": "",
        },
        {},
    ),
    "period create": (
        "national",
        lambda w: "/satgas/periode/tambah/",
        lambda w: {"name": "Pilkada 2029", "election_type": "PILKADA", "start_date": "2029-01-01", "end_date": "2029-12-31"},
        {},
    ),
    "period edit": (
        "national",
        lambda w: f"/satgas/periode/{w.period.pk}/ubah/",
        lambda w: {
            "name": w.period.name,
            "election_type": w.period.election_type,
            "start_date": w.period.start_date.isoformat(),
            "end_date": w.period.end_date.isoformat(),
        },
        {},
    ),
    "pact text create": (
        "national",
        lambda w: "/pakta/teks/baru/",
        lambda w: {"title": "PAKTA INTEGRITAS", "intro": "Saya:", "clauses": "Netral.\nTidak memihak.", "closing": "."},
        {},
    ),
    "pact text edit": (
        "national",
        lambda w: f"/pakta/teks/{w.campaign.text_id}/ubah/",
        lambda w: {"title": "PAKTA INTEGRITAS", "intro": "Saya:", "clauses": "Netral.", "closing": ""},
        {},
    ),
    "campaign create": (
        "national",
        lambda w: "/pakta/kampanye/baru/",
        lambda w: {
            "name": "Pakta Hostil",
            "period": w.period.pk,
            "text": w.campaign.text_id,
            "scope": "facilities",
            "regional_office": w.region.pk,
            "facilities": [w.facility.pk],
            "opens_at": "2024-01-01T08:00",
            "closes_at": "2024-02-01T08:00",
        },
        {},
    ),
    "paper signing": (
        "head",
        lambda w: f"/pakta/kampanye/{w.campaign.pk}/upt/{w.facility.pk}/kertas/",
        lambda w: {"employee": [w.spare_employee.pk], "signed_on": _today(), "place": "Apel"},
        {"scan": _pdf},
    ),
    "signature revoke": (
        "regional",
        lambda w: f"/pakta/tanda-tangan/{w.signature.pk}/cabut/",
        lambda w: {"reason": "Salah orang"},
        {},
    ),
    "report message": (
        "satgas",
        lambda w: f"/laporan/{w.report.pk}/pesan/",
        lambda w: {"body": "Mohon bukti tambahan."},
        {},
    ),
    "notification settings": (
        "staff",
        lambda w: "/akun/notifikasi/",
        lambda w: {"email": "budi@example.test", "kinds": ["campaign_open", "campaign_reminder"]},
        {},
    ),
    "password change": (
        "staff",
        lambda w: "/akun/sandi/",
        lambda w: {
            "old_password": factories.PASSWORD,
            "new_password1": "Sandi-baru-yang-kuat-77",
            "new_password2": "Sandi-baru-yang-kuat-77",
        },
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(STAFF_FORMS))
def test_logged_in_forms_take_hostile_values(client, world, case):
    role, url_of, base_of, files = STAFF_FORMS[case]
    client.force_login(world.users[role])
    url = url_of(world)
    assert client.get(url).status_code in (200, 302, 405)

    @hostile(EXAMPLES)
    @given(body=form_data(base_of(world), files=files))
    def run(body):
        answer(client, "post", url, body)

    run()


@hostile(EXAMPLES * 2)
@given(
    target=st.one_of(st.sampled_from(["verifying", "investigating", "forwarded", "concluded", "rejected"]), hostile_segment),
    data=st.data(),
)
def test_report_transition(client, world, target, data):
    client.force_login(world.users["satgas"])
    prefix = f"t-{target}-"
    base = {
        "target": target,
        "forwarded_to": "INSPEKTORAT",
        "outcome": "PROVEN",
        "track": "",
        "sanction": "",
        "rejection_reason": "Bukan pelanggaran",
        "public_note": "",
        "internal_note": "",
    }
    body = {prefix + name: value for name, value in data.draw(form_data(base)).items()}
    answer(client, "post", f"/laporan/{world.report.pk}/status/{target}/", body)


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Nama", "Jenis Pegawai", "NIP/NI PPPK/NIK", "Pangkat/Golongan", "Jabatan"])
    writer.writerows(rows)
    return out.getvalue().encode()


_cell = st.one_of(st.sampled_from(["PNS", "PPPK", "PPNPN", "III/a", factories.make_nip(3), "3301051204900003"]), hostile_text)


@hostile(EXAMPLES * 2)
@given(rows=st.lists(st.lists(_cell, min_size=0, max_size=6), min_size=0, max_size=4))
def test_roster_import_upload_preview_and_apply(client, world, rows):
    client.force_login(world.users["head"])
    url = f"/upt/{world.facility.pk}/pegawai/impor/"
    with transaction.atomic():
        upload = SimpleUploadedFile("pegawai.csv", _csv(rows), content_type="text/csv")
        response = client.post(url, {"file": upload})
        assert response.status_code in (200, 302, 400)
        if response.status_code == 302:
            assert client.get(response.url).status_code == 200
            assert client.post(response.url).status_code == 302
        transaction.set_rollback(True)


# --- Filters on logged-in pages ----------------------------------------------------------

# URL name: (who opens it, the page's GET parameters)
FILTER_PAGES = {
    "reports:list": ("satgas", ("state", "category", "upt", "upt_q", "date_from", "date_to", "overdue")),
    "reports:export": ("satgas", ("state", "category", "upt", "upt_q", "date_from", "date_to", "overdue")),
    "facilities:facility_list": ("national", ("region", "type")),
    "facilities:recap": ("regional", ("kanwil", "periode", "kampanye", "satgas", "terlambat", "urut")),
    "facilities:recap_export": ("national", ("kanwil", "periode", "kampanye", "satgas", "terlambat", "urut")),
    "facilities:roster": ("head", ("jenis", "nonaktif")),
    "satgas:list": ("national", ("period", "state")),
    "satgas:overview": ("regional", ("period", "region", "state")),
    "satgas:overview_export": ("regional", ("period", "region", "state", "q")),
    "satgas:activity_list": ("ketua", ("jenis",)),
    "satgas:activity_export": ("ketua", ("jenis",)),
    "satgas:inaugurate": ("regional", ("satgas",)),
    "satgas:period_list": ("national", ()),
    "pledges:index": ("head", ()),
    "pledges:text_list": ("national", ()),
    "pledges:facility_completion": ("head", ("status",)),
    "pledges:facility_export": ("head", ("status",)),
    "pledges:region_export": ("regional", ()),
    "pledges:paper_batch_create": ("head", ()),
    "pledges:signature_detail": ("staff", ("baru", "sudah")),
    "dashboard": ("head", ()),
}


@pytest.mark.parametrize("name", sorted(FILTER_PAGES))
def test_list_filters_take_hostile_values(client, world, name):
    role, names = FILTER_PAGES[name]
    client.force_login(world.users[role])
    url = reverse(name, kwargs=kwargs_for(name, world) if name in OBJECT_URLS else None)
    assert client.get(url).status_code == 200

    @hostile(EXAMPLES)
    @given(params=query(names))
    def run(params):
        answer(client, "get", url, params)

    run()
