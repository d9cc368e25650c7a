from unittest import mock

from django.db.utils import OperationalError


def test_it_shows_a_plain_503_page_when_the_database_is_down(client, facility_head):
    client.force_login(facility_head)
    with mock.patch(
        "facilities.views.access.get_facility_for_user", side_effect=OperationalError("terminating connection")
    ):
        response = client.get(f"/upt/{facility_head.facility_id}/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Layanan sementara tidak tersedia" in body
    assert "Traceback" not in body and "OperationalError" not in body


def test_it_leaves_other_errors_alone(client, facility_head):
    client.force_login(facility_head)
    with mock.patch("facilities.views.access.get_facility_for_user", side_effect=KeyError("boom")):
        try:
            client.get(f"/upt/{facility_head.facility_id}/")
        except KeyError:
            return
    raise AssertionError("a programming error must not be dressed up as a database outage")
