"""Logging in (staff with their NIP), logging out, changing one's password, and the failed-login lock-out."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

LOGIN = "/akun/masuk/"


def log_in(client, username, password=factories.PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def logged_in_as(client):
    from django.contrib.auth import get_user

    user = get_user(client)
    return user if user.is_authenticated else None


def test_the_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "NIP atau nama pengguna" in response.content.decode()


def test_staff_log_in_with_their_nip(client, staff):
    response = log_in(client, staff.username)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert logged_in_as(client) == staff


def test_staff_log_in_with_their_nip_typed_with_spaces(client, staff):
    nip = staff.username
    response = log_in(client, f" {nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]} ")
    assert response.status_code == 302
    assert logged_in_as(client) == staff


@pytest.mark.parametrize(
    "printed",
    [
        "{a} {b} {c} {d}",  # as on the card: 19961203 202112 1 014
        "{a}.{b}.{c}.{d}",
        "{a}-{b}-{c}-{d}",
        " {a}. {b} .{c}-{d} ",
    ],
)
def test_staff_log_in_with_their_nip_typed_as_printed(client, staff, printed):
    nip = staff.username
    typed = printed.format(a=nip[:8], b=nip[8:14], c=nip[14], d=nip[15:])
    response = log_in(client, typed)
    assert response.status_code == 302
    assert logged_in_as(client) == staff


def test_a_username_with_dots_that_is_not_a_number_is_kept_as_typed(client, db):
    admin = factories.regional_admin(factories.RegionalOfficeFactory(), username="kanwil.jateng-2")
    assert log_in(client, "kanwil.jateng-2").status_code == 302
    assert logged_in_as(client) == admin
    client.post(reverse("accounts:logout"))
    assert log_in(client, "kanwiljateng2").status_code == 200
    assert logged_in_as(client) is None


def test_admins_log_in_with_their_username(client, regional_admin):
    assert log_in(client, "kanwil.jateng").status_code == 302
    assert logged_in_as(client) == regional_admin


def test_a_wrong_password_is_refused_with_an_indonesian_message(client, staff):
    response = log_in(client, staff.username, "salah-sandi")
    assert response.status_code == 200
    assert "NIP/nama pengguna atau kata sandi salah." in response.content.decode()
    assert logged_in_as(client) is None


def test_an_inactive_account_cannot_log_in(client, staff):
    staff.is_active = False
    staff.save()
    log_in(client, staff.username)
    assert logged_in_as(client) is None


def test_a_deactivated_employee_can_no_longer_log_in(client, facility_head, staff, employee):
    client.force_login(facility_head)
    client.post(reverse("facilities:employee_set_active", args=[employee.pk]), {"active": "0"})
    client.logout()
    log_in(client, staff.username)
    assert logged_in_as(client) is None


def test_the_login_page_follows_next(client, staff):
    response = client.post(LOGIN, {"username": staff.username, "password": factories.PASSWORD, "next": "/upt/"})
    assert response.url == "/upt/"


def test_the_login_page_does_not_redirect_to_another_site(client, staff):
    response = client.post(
        LOGIN, {"username": staff.username, "password": factories.PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("dashboard")


def test_logout_is_a_post(client, staff):
    client.force_login(staff)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_as(client) == staff
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:login")
    assert logged_in_as(client) is None


def test_a_password_change_replaces_the_old_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Kopi-Tubruk-Pagi-7",
            "new_password2": "Kopi-Tubruk-Pagi-7",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert logged_in_as(client) == staff  # the session survives the change
    client.logout()
    assert log_in(client, staff.username).status_code == 200
    assert log_in(client, staff.username, "Kopi-Tubruk-Pagi-7").status_code == 302


def test_a_password_change_needs_the_old_password(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah", "new_password1": "Kopi-Tubruk-Pagi-7", "new_password2": "Kopi-Tubruk-Pagi-7"},
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    staff.refresh_from_db()
    assert staff.check_password(factories.PASSWORD)


def test_a_password_change_refuses_the_birth_date_inside_the_nip(client, staff):
    client.force_login(staff)
    birth = staff.username[:8]  # YYYYMMDD
    ddmmyyyy = birth[6:8] + birth[4:6] + birth[0:4]
    new = f"Lahir-{ddmmyyyy}-ok"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["Kata sandi tidak boleh memuat tanggal lahir Anda."]


def test_the_password_change_page_needs_a_login(client, db):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


# --- Lock-out (django-axes) ---------------------------------------------------


def fail(client, username, times, ip="10.1.2.3"):
    for _ in range(times):
        log_in(client, username, "tebakan-salah", REMOTE_ADDR=ip)


def assert_locked_out(response):
    assert response.status_code in (403, 429)
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()


def test_it_locks_out_after_the_failure_limit_even_with_the_right_password(client, staff):
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, staff.username, REMOTE_ADDR="10.1.2.3")
    assert_locked_out(response)
    assert logged_in_as(client) is None


def test_it_does_not_lock_out_one_failure_before_the_limit(client, staff):
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, staff.username, REMOTE_ADDR="10.1.2.3").status_code == 302


def test_a_lock_out_does_not_block_another_username_from_the_same_address(client, staff, facility_head):
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT)
    response = log_in(client, facility_head.username, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302
    assert logged_in_as(client) == facility_head


def test_a_lock_out_does_not_block_the_same_user_from_another_address(client, staff):
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, staff.username, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_typing_the_nip_with_spaces_does_not_escape_the_lock_out(client, staff):
    nip = staff.username
    variants = [nip, f"{nip[:8]} {nip[8:]}", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}", f" {nip}", f"{nip} "]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, variants[attempt % len(variants)], "tebakan-salah", REMOTE_ADDR="10.1.2.3")
    response = log_in(client, f"{nip[:4]} {nip[4:]}", REMOTE_ADDR="10.1.2.3")
    assert_locked_out(response)
    assert logged_in_as(client) is None


def test_typing_the_nip_with_dots_or_hyphens_does_not_escape_the_lock_out(client, staff):
    from axes.models import AccessAttempt

    nip = staff.username
    a, b, c, d = nip[:8], nip[8:14], nip[14], nip[15:]
    variants = [f"{a}.{b}.{c}.{d}", f"{a}-{b}-{c}-{d}", f"{a}.{b} {c}-{d}", f"{a}{b}.{c}{d}", f"{a} {b} {c} {d}"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, variants[attempt % len(variants)], "tebakan-salah", REMOTE_ADDR="10.1.2.3")
    # One account, one counter: the attempts are all recorded against the digits.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {nip}
    response = log_in(client, nip, REMOTE_ADDR="10.1.2.3")
    assert_locked_out(response)
    assert logged_in_as(client) is None
    assert_locked_out(log_in(client, f"{a}.{b}.{c}.{d}", REMOTE_ADDR="10.1.2.3"))


def test_the_lock_out_counts_the_normalised_nip_in_axes_own_lookup(rf, staff):
    from accounts.forms import lockout_username

    nip = staff.username
    dotted = f"{nip[:8]}.{nip[8:14]}.{nip[14]}.{nip[15:]}"
    assert lockout_username(rf.post("/akun/masuk/", {"username": dotted})) == nip
    assert lockout_username(rf.get("/"), {"username": f" {nip[:8]}-{nip[8:]} "}) == nip
    assert lockout_username(rf.post("/akun/masuk/", {"username": "kanwil.jateng"})) == "kanwil.jateng"
    assert lockout_username(rf.post("/akun/masuk/", {})) is None


@pytest.mark.parametrize("limit", [3])
def test_the_failure_limit_comes_from_the_setting(client, staff, settings, limit):
    settings.AXES_FAILURE_LIMIT = limit
    fail(client, staff.username, limit)
    assert_locked_out(log_in(client, staff.username, REMOTE_ADDR="10.1.2.3"))


def test_a_successful_login_resets_the_failure_count(client, staff):
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, staff.username, REMOTE_ADDR="10.1.2.3").status_code == 302
    client.post(reverse("accounts:logout"))
    fail(client, staff.username, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, staff.username, REMOTE_ADDR="10.1.2.3").status_code == 302
