"""Who sees which staff: office scoping with the named personas."""

import pytest

from simi.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def everyone(
    officer, supervisor, oversight, outsider, analyst, partner, admin_user, auditor, applicant
):
    return locals()


def _names(response):
    return sorted(item["full_name"] for item in response.json()["items"])


def test_liwa_officer_sees_only_liwa(client_for, everyone, officer):
    response = client_for(officer).get("/api/v1/staff")
    assert _names(response) == ["Olivia Officer"]


def test_kotabumi_supervisor_sees_kotabumi_and_its_service_point(client_for, everyone, supervisor):
    response = client_for(supervisor).get("/api/v1/staff")
    assert _names(response) == ["Olivia Officer", "Oscar Oversight", "Sam Supervisor"]


def test_an_outsider_office_sees_none_of_ours(client_for, everyone, outsider):
    response = client_for(outsider).get("/api/v1/staff")
    assert _names(response) == ["Xena Outsider"]


@pytest.mark.parametrize("persona", ["admin_user", "auditor"])
def test_admin_and_auditor_see_every_office(client_for, everyone, persona):
    response = client_for(everyone[persona]).get("/api/v1/staff")
    assert len(response.json()["items"]) == 7  # every staff role, partner and applicant excluded


@pytest.mark.parametrize("persona", ["applicant", "partner"])
def test_non_staff_are_refused(client_for, everyone, persona):
    response = client_for(everyone[persona]).get("/api/v1/staff")
    assert response.status_code == 403
    assert response.json()["error"]["code"] in {"permission_denied", "scope_missing"}


def test_anonymous_callers_get_401(client, everyone):
    assert client.get("/api/v1/staff").status_code == 401


def test_the_staff_page_is_scoped_like_the_api(client_for, everyone, officer, supervisor):
    page = client_for(officer).get("/kantor/staf/").content.decode()
    assert "Olivia Officer" in page
    assert "Sam Supervisor" not in page
    assert "Sam Supervisor" in client_for(supervisor).get("/kantor/staf/").content.decode()


def test_the_back_office_refuses_applicants_with_a_friendly_page(client_for, everyone, applicant):
    response = client_for(applicant).get("/kantor/")
    assert response.status_code == 403
    assert "Referensi dukungan" in response.content.decode()


def test_a_staff_token_carries_the_same_scope(client, everyone, officer):
    _row, token = api_token_create(
        actor=officer, name="t", scopes=["profile", "staff:read"], days=1
    )
    response = client.get("/api/v1/staff", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert _names(response) == ["Olivia Officer"]


def test_filtering_by_an_unknown_role_is_a_field_error(client_for, everyone, supervisor):
    response = client_for(supervisor).get("/api/v1/staff?role=kaisar")
    assert response.status_code == 422
    assert "role" in response.json()["error"]["fields"]


def test_the_staff_pages_keep_the_filter_when_paging(client_for, admin_user, kotabumi):
    from simi.accounts.tests.factories import UserFactory

    for n in range(30):
        UserFactory(email=f"petugas{n}@example.test", role="front_desk", office=kotabumi)
    page = client_for(admin_user).get("/kantor/staf/?role=front_desk").content.decode()
    assert "?role=front_desk&amp;page=2" in page
