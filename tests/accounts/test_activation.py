"""Bulk accounts: the facility head picks staff on the roster and prints one-time
activation codes; each staff member sets their own password with theirs."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import ActivationCode, AuditEvent, User, hash_activation_code
from accounts.views import ACTIVATION_LIMIT
from tests import factories

ACTIVATE = "/akun/aktivasi/"
CODE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")
BAD_CODE = "Kode aktivasi tidak cocok, sudah dipakai, atau sudah kedaluwarsa."
NEW_PASSWORD = "Kopi-Tubruk-Pagi-7"


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def team(facility):
    return [
        factories.EmployeeFactory(facility=facility, name="Budi Santoso, S.H."),
        factories.EmployeeFactory(facility=facility, name="Sri Wahyuni, A.Md.", pppk=True),
        factories.EmployeeFactory(facility=facility, name="Agus Prasetyo", ppnpn=True),
    ]


def issue(client, facility, employees):
    return client.post(reverse("facilities:issue_codes", args=[facility.pk]), {"employee": [e.pk for e in employees]})


def issue_one(client, facility, employee) -> str:
    text = pdf_text(issue(client, facility, [employee]))
    [code] = CODE.findall(text)
    return code


def activate(client, username, code, password=NEW_PASSWORD, password2=None):
    return client.post(
        ACTIVATE,
        {"username": username, "code": code, "password1": password, "password2": password2 or password},
    )


@pytest.fixture
def head_client(client, facility_head):
    client.force_login(facility_head)
    return client


def test_issuing_codes_returns_a_pdf_of_slips_with_names_and_codes(head_client, facility, facility_head, team):
    response = issue(head_client, facility, team)
    assert response["Content-Disposition"] == 'attachment; filename="slip-aktivasi.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(response)
    codes = CODE.findall(text)
    assert len(codes) == 3
    for employee in team:
        employee.refresh_from_db()
        assert employee.name in text
        assert employee.identifier in text
        user = employee.user
        assert user.username == employee.identifier
        assert not user.has_usable_password()
        [stored] = user.activation_codes.usable()
        assert stored.created_by == facility_head
        assert stored.code_hash in {hash_activation_code(c) for c in codes}
    assert AuditEvent.objects.filter(action="account.code_issued").count() == 3


def test_only_a_hash_of_the_code_is_stored(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    stored = ActivationCode.objects.get()
    assert code not in stored.code_hash
    assert stored.code_hash == hash_activation_code(code)


def test_a_code_is_not_derived_from_the_nip(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    digits = "".join(ch for ch in code if ch.isdigit())
    assert employee.identifier[:8] not in digits
    assert issue_one(head_client, facility, employee) != code


def test_issuing_without_choosing_anyone_returns_to_the_roster(head_client, facility):
    response = head_client.post(reverse("facilities:issue_codes", args=[facility.pk]))
    assert response.status_code == 302
    assert response.url == reverse("facilities:roster", args=[facility.pk])
    assert not ActivationCode.objects.exists()


def test_an_inactive_employee_gets_no_account(head_client, facility, team):
    team[0].is_active = False
    team[0].save()
    response = issue(head_client, facility, team)
    assert response.status_code == 302
    assert not User.objects.filter(username__in=[e.identifier for e in team]).exists()
    assert not ActivationCode.objects.exists()


def test_issuing_codes_is_a_post(head_client, facility):
    assert head_client.get(reverse("facilities:issue_codes", args=[facility.pk])).status_code == 405


def test_the_activation_page_renders(client, db):
    response = client.get(ACTIVATE)
    assert response.status_code == 200
    assert "Kode aktivasi" in response.content.decode()


def test_a_code_sets_the_password_once(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    head_client.logout()
    response = activate(head_client, employee.identifier, code)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    employee.refresh_from_db()
    assert employee.user.check_password(NEW_PASSWORD)
    head_client.logout()
    login = head_client.post("/akun/masuk/", {"username": employee.identifier, "password": NEW_PASSWORD})
    assert login.status_code == 302
    head_client.logout()
    again = activate(head_client, employee.identifier, code, password="Teh-Manis-Sore-8")
    assert again.status_code == 200
    assert BAD_CODE in again.content.decode()
    employee.user.refresh_from_db()
    assert employee.user.check_password(NEW_PASSWORD)


def test_activating_signs_the_person_in_and_opens_their_dashboard(client, facility_head, facility, employee):
    client.force_login(facility_head)
    code = issue_one(client, facility, employee)
    client.logout()
    response = client.post(
        ACTIVATE,
        {"username": employee.identifier, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    employee.refresh_from_db()
    assert response.context["user"] == employee.user
    assert "Akun Anda aktif dan Anda sudah masuk dengan kata sandi baru." in response.content.decode()
    assert employee.name in response.content.decode()
    assert AuditEvent.objects.filter(action="account.activated", actor=employee.user).count() == 1
    # As after the login form: axes logs the login, and this browser is a known device for the account.
    from axes.models import AccessLog

    from accounts import lockout

    assert AccessLog.objects.filter(username=employee.identifier).exists()
    assert lockout.KNOWN_DEVICE_COOKIE in client.cookies


def test_activating_gives_the_browser_a_new_session(client, facility_head, facility, employee):
    """A session key planted before activation (session fixation) is not the one that is signed in."""
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY

    client.force_login(facility_head)
    code = issue_one(client, facility, employee)
    client.logout()
    session = client.session  # an anonymous session, its key in the browser's cookie
    session["planted"] = "x"
    session.save()
    planted = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == planted
    assert activate(client, employee.identifier, code).status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert client.session.session_key != planted
    employee.refresh_from_db()
    assert client.session[SESSION_KEY] == str(employee.user_id)
    assert not session.exists(planted)


def test_activating_while_someone_else_is_signed_in_signs_them_out(client, facility_head, facility, employee):
    """The head hands the office PC to a staff member: the head's session ends, the staff member's begins."""
    from django.contrib.auth import SESSION_KEY

    client.force_login(facility_head)
    code = issue_one(client, facility, employee)
    head_session = client.session.session_key
    assert activate(client, employee.identifier, code).status_code == 302
    employee.refresh_from_db()
    assert client.session[SESSION_KEY] == str(employee.user_id)
    assert not client.session.exists(head_session)


def test_a_refused_activation_signs_no_one_in(client, facility_head, facility, employee):
    client.force_login(facility_head)
    code = issue_one(client, facility, employee)
    client.logout()
    response = activate(client, employee.identifier, code, password2="Lain-Sandi-99x")
    assert response.status_code == 200
    assert not response.context["user"].is_authenticated
    response = activate(client, employee.identifier, "AAAA-BBBB-CCCC")
    assert response.status_code == 200 and BAD_CODE in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_a_code_may_be_typed_in_lower_case_and_with_spaces(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    nip = employee.identifier
    response = activate(head_client, f"{nip[:8]} {nip[8:]}", code.lower().replace("-", " "))
    assert response.status_code == 302


def test_an_expired_code_is_refused(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    ActivationCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = activate(head_client, employee.identifier, code)
    assert response.status_code == 200
    assert BAD_CODE in response.content.decode()
    employee.refresh_from_db()
    assert not employee.user.has_usable_password()


def test_a_code_expires_after_the_configured_days(head_client, facility, employee, settings):
    issue_one(head_client, facility, employee)
    stored = ActivationCode.objects.get()
    assert stored.expires_at - stored.created_at == settings.ACTIVATION_CODE_TTL == dt.timedelta(days=14)


def test_a_code_is_refused_for_a_different_username(head_client, facility, team):
    code = issue_one(head_client, facility, team[0])
    issue_one(head_client, facility, team[1])
    response = activate(head_client, team[1].identifier, code)
    assert response.status_code == 200
    assert BAD_CODE in response.content.decode()
    team[1].refresh_from_db()
    assert not team[1].user.has_usable_password()


def test_a_new_code_revokes_the_earlier_ones(head_client, facility, employee):
    first = issue_one(head_client, facility, employee)
    second = issue_one(head_client, facility, employee)
    assert BAD_CODE in activate(head_client, employee.identifier, first).content.decode()
    assert activate(head_client, employee.identifier, second).status_code == 302
    assert ActivationCode.objects.filter(revoked_at__isnull=False).count() == 1


def test_the_two_passwords_must_match(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    response = activate(head_client, employee.identifier, code, password2="Lain-Sandi-99x")
    assert response.context["form"].errors["password2"] == ["Kedua kata sandi tidak sama."]


def test_the_password_may_not_contain_the_nip(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    response = activate(head_client, employee.identifier, code, password=f"x{employee.identifier}x")
    assert response.status_code == 200
    assert "Kata sandi tidak boleh memuat NIP/NIK Anda." in response.context["form"].errors["password1"]
    assert ActivationCode.objects.usable().count() == 1  # the code is still good for a better password


@pytest.mark.parametrize("form", ["%d%m%Y", "%d%m%y", "%y%m%d"])
def test_the_password_may_not_contain_the_birth_date_inside_the_nip(head_client, facility, employee, form):
    code = issue_one(head_client, facility, employee)
    birth = dt.datetime.strptime(employee.identifier[:8], "%Y%m%d")
    response = activate(head_client, employee.identifier, code, password=f"Ulang-Tahun-{birth.strftime(form)}")
    assert response.context["form"].errors["password1"] == ["Kata sandi tidak boleh memuat tanggal lahir Anda."]


def test_the_password_may_not_contain_the_birth_date_inside_a_womans_nik(head_client, facility):
    employee = factories.EmployeeFactory(facility=facility, ppnpn=True, identifier="3301055204900003")
    code = issue_one(head_client, facility, employee)
    response = activate(head_client, employee.identifier, code, password="Sandi-12041990-rahasia")
    assert response.context["form"].errors["password1"] == ["Kata sandi tidak boleh memuat tanggal lahir Anda."]


def test_the_password_may_not_be_too_short_or_common(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    response = activate(head_client, employee.identifier, code, password="password")
    assert response.context["form"].errors["password1"]


def test_the_activation_endpoint_is_rate_limited(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    head_client.logout()
    for _ in range(ACTIVATION_LIMIT):
        assert activate(head_client, employee.identifier, "AAAA-BBBB-CCCC").status_code == 200
    response = activate(head_client, employee.identifier, code)
    assert response.status_code == 429
    assert "Terlalu banyak percobaan. Coba lagi dalam satu jam." in response.content.decode()
    employee.refresh_from_db()
    assert not employee.user.has_usable_password()


def test_the_rate_limit_is_per_client_address(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    for _ in range(ACTIVATION_LIMIT + 1):
        head_client.post(ACTIVATE, {"username": "x", "code": "y", "password1": "a", "password2": "a"})
    response = head_client.post(
        ACTIVATE,
        {"username": employee.identifier, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )
    assert response.status_code == 302


def test_an_account_with_a_password_is_listed_as_active_on_the_roster(head_client, facility, employee, facility_head):
    code = issue_one(head_client, facility, employee)
    roster = reverse("facilities:roster", args=[facility.pk])
    assert "menunggu aktivasi" in head_client.get(roster).content.decode()
    activate(head_client, employee.identifier, code)
    head_client.force_login(facility_head)  # activating signed the staff member in on this browser
    assert "menunggu aktivasi" not in head_client.get(roster).content.decode()


def test_a_deactivated_employee_cannot_revive_their_login_with_an_old_code(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    head_client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    head_client.logout()
    response = activate(head_client, employee.identifier, code)
    assert response.status_code == 200
    assert BAD_CODE in response.content.decode()
    employee.refresh_from_db()
    assert not employee.user.is_active
    assert not employee.user.has_usable_password()


def test_a_reactivated_employee_gets_their_login_back_with_a_new_code(head_client, facility, staff, employee):
    head_client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    head_client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "1"})
    code = issue_one(head_client, facility, employee)
    head_client.logout()
    assert activate(head_client, employee.identifier, code).status_code == 302
    assert head_client.post("/akun/masuk/", {"username": staff.username, "password": NEW_PASSWORD}).status_code == 302


def test_a_facility_head_cannot_take_over_an_admins_account_through_the_roster(
    head_client, facility, employee, regional_admin
):
    # A Kanwil admin who is also on this UPT's roster: printing "their" slip
    # would hand the facility head a code for the admin's account.
    employee.user = regional_admin
    employee.save()
    response = issue(head_client, facility, [employee])
    assert response.status_code == 302
    assert not ActivationCode.objects.filter(user=regional_admin).exists()
    regional_admin.refresh_from_db()
    assert regional_admin.check_password(factories.PASSWORD)


def test_a_facility_head_cannot_issue_a_code_for_their_own_account_from_the_roster(
    head_client, facility, employee, facility_head
):
    employee.user = facility_head
    employee.save()
    assert issue(head_client, facility, [employee]).status_code == 302
    assert not ActivationCode.objects.exists()


def test_a_regional_admin_can_print_a_slip_for_a_facility_heads_own_record(client, regional_admin, facility, employee):
    head = factories.facility_head(facility)
    employee.user = head
    employee.save()
    client.force_login(regional_admin)
    assert CODE.findall(pdf_text(issue(client, facility, [employee])))


def test_a_whole_office_behind_one_address_can_activate(head_client, facility):
    # A Lapas reaches the internet through one NAT address; the slips are
    # handed out together and the staff activate the same morning.
    office = factories.EmployeeFactory.create_batch(ACTIVATION_LIMIT + 5, facility=facility)
    codes = CODE.findall(pdf_text(issue(head_client, facility, office)))
    head_client.logout()
    by_user = {c.user_id: c for c in ActivationCode.objects.all()}
    for employee in office:
        employee.refresh_from_db()
        code = next(c for c in codes if hash_activation_code(c) == by_user[employee.user_id].code_hash)
        assert activate(head_client, employee.identifier, code).status_code == 302, employee.identifier
    assert all(u.has_usable_password() for u in User.objects.filter(employee__in=office))


def test_guessing_across_many_usernames_from_one_address_is_also_limited(client, db):
    from accounts.views import ACTIVATION_CLIENT_LIMIT

    statuses = [
        client.post(ACTIVATE, {"username": f"1980123020050110{n:02d}", "code": "AAAA-BBBB-CCCC"}).status_code
        for n in range(ACTIVATION_CLIENT_LIMIT + 1)
    ]
    assert statuses[:-1] == [200] * ACTIVATION_CLIENT_LIMIT
    assert statuses[-1] == 429


def test_the_slip_states_the_configured_validity(head_client, facility, employee, settings):
    settings.ACTIVATION_CODE_TTL = dt.timedelta(days=7)
    text = " ".join(pdf_text(issue(head_client, facility, [employee])).split())
    assert "kedaluwarsa dalam 7 hari" in text
    stored = ActivationCode.objects.get()
    assert stored.expires_at - stored.created_at == dt.timedelta(days=7)


def test_the_nip_may_be_typed_with_dots_as_printed_on_the_card(head_client, facility, employee):
    code = issue_one(head_client, facility, employee)
    head_client.logout()
    nip = employee.identifier
    assert activate(head_client, f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}", code).status_code == 302
    employee.refresh_from_db()
    assert employee.user.check_password(NEW_PASSWORD)


def test_varying_the_separators_of_the_nip_shares_one_activation_budget(client, db):
    nip = "198012302005011003"
    variants = [nip, f"{nip[:8]}.{nip[8:]}", f"{nip[:8]}-{nip[8:14]}-{nip[14:]}", f"{nip[:8]} {nip[8:]}"]
    statuses = [
        client.post(ACTIVATE, {"username": variants[n % len(variants)], "code": "AAAA-BBBB-CCCC"}).status_code
        for n in range(ACTIVATION_LIMIT + 1)
    ]
    assert statuses[-1] == 429
