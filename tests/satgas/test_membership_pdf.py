"""The membership list attached to the SK, read back from the PDF."""

import io
import re

from pypdf import PdfReader

from satgas.models import Membership
from tests import factories
from tests.satgas.factories import appointed


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_holds_every_members_name_and_nip(client, facility_head, facility, period):
    task_force = appointed(facility, period=period, size=12)
    client.force_login(facility_head)
    response = client.get(f"/satgas/{task_force.pk}/lampiran-sk.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response)
    members = task_force.memberships.current().select_related("employee")
    assert members.count() == 12
    for membership in members:
        assert membership.employee.name in text
        assert membership.employee.identifier in text
    assert task_force.decree_number in text
    assert period.name.upper() in text
    assert facility.regional_office.name.upper() in text
    assert facility.regional_office.ministry.name.upper() in text


def test_the_pdf_lists_current_members_only(client, facility_head, task_force, facility):
    gone = task_force.memberships.current().filter(role=Membership.Role.ANGGOTA).first()
    gone_nip = gone.employee.identifier
    from satgas import actions

    newcomer = factories.EmployeeFactory(facility=facility)
    actions.replace_member(
        facility_head, gone, newcomer, date=gone.start_date, reason="Pensiun", decree_reference="SK-2"
    )
    client.force_login(facility_head)
    text = _text(client.get(f"/satgas/{task_force.pk}/lampiran-sk.pdf"))
    assert newcomer.identifier in text
    assert gone_nip not in text


def test_another_region_cannot_print_it(client, other_regional_admin, task_force):
    client.force_login(other_regional_admin)
    assert client.get(f"/satgas/{task_force.pk}/lampiran-sk.pdf").status_code == 404
