"""Household members through the API: the same rules as /akun/keluarga/."""

import json

import pytest
from django.test import Client

from simi.accounts.models import HouseholdMember
from simi.accounts.services import api_token_create
from simi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

API = "/api/v1/household/members"
HOLDER = {"kind": "citizen", "full_name": "Siti Rahmawati", "nik": "1804045708950002"}
FAMILY = [
    ({"kind": "citizen", "full_name": "Bima Pratama", "nik": "1804041505150003"}, "child"),
    ({"kind": "citizen", "full_name": "Citra Lestari", "nik": "1804045203180004"}, "child"),
    ({"kind": "citizen", "full_name": "Agus Pratama", "nik": "1804041203900006"}, "spouse"),
    ({"kind": "citizen", "full_name": "Rukmini", "nik": "1804045506600007"}, "parent"),
    (
        {
            "kind": "foreigner",
            "full_name": "Anna Keller",
            "passport_number": "C01X00T47",
            "nationality": "DEU",
            "sex": "F",
            "birth_date": "1992-03-04",
        },
        "other",
    ),
]


def _json(client, method, url, body=None, **headers):
    return getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def holder(client_for, applicant):
    client = client_for(applicant)
    assert _json(client, "put", "/api/v1/me/identity", HOLDER).status_code == 200
    return client


def test_it_adds_five_members_and_lists_them_masked(holder, applicant):
    # when the applicant adds five family members, a foreigner among them
    for data, relationship in FAMILY:
        response = _json(holder, "post", API, {**data, "relationship": relationship})
        assert response.status_code == 201, response.content
    # then the list has all five in order, numbers masked, the NIK's birth date read
    items = holder.get(API).json()["items"]
    assert [item["full_name"] for item in items] == [d["full_name"] for d, _r in FAMILY]
    assert items[0]["nik_last4"] == "0003"
    assert "nik" not in items[0]
    assert (items[0]["birth_date"], items[0]["sex"], items[0]["relationship"]) == (
        "2015-05-15",
        "M",
        "child",
    )
    assert items[4]["passport_last4"] == "0T47"
    assert AuditEntry.objects.filter(action="accounts.household_member_added").count() == 5


def test_it_corrects_and_removes_a_member(holder, applicant):
    data, relationship = FAMILY[0]
    member_id = _json(holder, "post", API, {**data, "relationship": relationship}).json()["id"]
    changed = _json(
        holder,
        "put",
        f"{API}/{member_id}",
        {**data, "full_name": "Bima P.", "relationship": "sibling"},
    )
    assert changed.status_code == 200
    assert changed.json()["relationship"] == "sibling"
    assert AuditEntry.objects.get(action="accounts.household_member_updated").data["fields"] == [
        "full_name",
        "relationship",
    ]
    assert holder.delete(f"{API}/{member_id}").status_code == 204
    assert holder.get(f"{API}/{member_id}").status_code == 404


def test_the_holders_own_nik_is_refused_field_by_field_in_english(holder):
    response = _json(
        holder,
        "post",
        API,
        {**FAMILY[0][0], "nik": HOLDER["nik"], "relationship": "child"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "household_number_repeated"
    assert error["fields"]["nik"] == ["This NIK is your own. Enter the family member's own NIK."]


def test_someone_elses_member_is_not_found(holder, applicant, client_for, other_applicant):
    member_id = _json(holder, "post", API, {**FAMILY[0][0], "relationship": "child"}).json()["id"]
    other = client_for(other_applicant)
    assert other.get(f"{API}/{member_id}").status_code == 404
    assert (
        _json(
            other, "put", f"{API}/{member_id}", {**FAMILY[0][0], "relationship": "child"}
        ).status_code
        == 404
    )
    assert other.delete(f"{API}/{member_id}").status_code == 404
    assert HouseholdMember.objects.filter(public_id=member_id).exists()


def test_a_token_without_the_profile_scope_is_refused(officer):
    # given a token of an officer that carries staff:read but not profile
    _token, secret = api_token_create(actor=officer, name="baca", scopes=["staff:read"], days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # then listing or adding members is refused for the scope
    for response in (client.get(API), _json(client, "post", API, {})):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "scope_missing"


def test_an_applicant_token_with_the_scope_works(applicant, holder):
    _token, secret = api_token_create(actor=applicant, name="ponsel", scopes=["profile"], days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    response = _json(client, "post", API, {**FAMILY[0][0], "relationship": "child"})
    assert response.status_code == 201


def test_writes_are_limited_per_account(holder, applicant):
    from simi.accounts.household import services

    # given the account made as many changes as an hour allows
    for n in range(services.CHANGES_PER_HOUR // 3):
        member_id = _json(
            holder,
            "post",
            API,
            {
                "kind": "citizen",
                "full_name": f"Anak {n}",
                "nik": "1804041505150003",
                "relationship": "child",
            },
        ).json()["id"]
        _json(
            holder,
            "put",
            f"{API}/{member_id}",
            {
                "kind": "citizen",
                "full_name": f"Anak {n} B",
                "nik": "1804041505150003",
                "relationship": "child",
            },
        )
        holder.delete(f"{API}/{member_id}")
    # when it adds one more, it is asked to wait
    response = _json(holder, "post", API, {**FAMILY[0][0], "relationship": "child"})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "household_changes_limited"
    assert int(response["Retry-After"]) > 0
