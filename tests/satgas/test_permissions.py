"""Who may open a task force, its SK scan and its membership list: each role against its own and another's."""

import pytest

from satgas.models import Membership
from tests import factories
from tests.satgas.factories import member_login

PAGES = ["/satgas/{pk}/", "/satgas/{pk}/sk.pdf", "/satgas/{pk}/kegiatan/"]


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["national_admin", "regional_admin", "facility_head", "ketua"])
def test_allowed_roles_open_their_own_task_force(request, client, task_force, who, url):
    response = _get(client, request.getfixturevalue(who), url.format(pk=task_force.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["other_regional_admin", "other_facility_head", "staff"])
def test_other_scopes_get_404(request, client, task_force, who, url):
    response = _get(client, request.getfixturevalue(who), url.format(pk=task_force.pk))
    assert response.status_code == 404


def test_a_member_cannot_open_another_facilitys_task_force(client, task_force, sibling_task_force):
    member = member_login(task_force)
    assert _get(client, member, f"/satgas/{sibling_task_force.pk}/").status_code == 404
    assert client.get(f"/satgas/{sibling_task_force.pk}/sk.pdf").status_code == 404


def test_a_facility_head_cannot_open_a_sibling_facilitys_task_force(client, facility_head, sibling_task_force):
    assert _get(client, facility_head, f"/satgas/{sibling_task_force.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, task_force):
    response = client.get(f"/satgas/{task_force.pk}/sk.pdf")
    assert response.status_code == 302 and "/akun/masuk/" in response["Location"]


def test_the_sk_scan_is_served_privately(client, facility_head, task_force):
    response = _get(client, facility_head, f"/satgas/{task_force.pk}/sk.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert task_force.decree_file.url.startswith("/media-not-served/")
    assert client.get(task_force.decree_file.url).status_code == 404


def test_the_task_force_list_shows_only_visible_task_forces(client, regional_admin, task_force, other_task_force):
    response = _get(client, regional_admin, "/satgas/")
    assert list(response.context["page_obj"]) == [task_force]


def test_a_member_role_comes_from_membership(client, task_force):
    member = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    user = factories.staff_user(member.employee)
    response = _get(client, user, "/beranda/")
    assert 'href="/satgas/"' in response.content.decode()
    assert _get(client, user, f"/satgas/{task_force.pk}/").status_code == 200


def test_a_deactivated_member_loses_access(client, task_force):
    member = task_force.memberships.current().get(role=Membership.Role.SEKRETARIS)
    user = factories.staff_user(member.employee)
    member.employee.is_active = False
    member.employee.save()
    assert _get(client, user, f"/satgas/{task_force.pk}/").status_code == 404


def test_the_detail_breadcrumb_ends_with_the_task_force(client, facility_head, task_force):
    page = _get(client, facility_head, f"/satgas/{task_force.pk}/").content.decode()
    crumbs = page[page.index('class="breadcrumb') : page.index("</ol>")]
    assert f"{task_force.facility.name} · {task_force.period.name}" in crumbs
    assert "Membership" not in crumbs and "Ketua" not in crumbs
