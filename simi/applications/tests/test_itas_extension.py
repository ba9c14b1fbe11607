"""A foreigner extends her ITAS: she chooses the permit it extends among her
own (current, or ended within the overstay threshold), and once issued the
register holds the new permit as the continuation of the old one, from the
day after it ends (or from a late application's day), so no overstay is found
for the old permit's end (or only the days she was late)."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.applications.models import Application
from simi.applications.tests.conftest import API, post_json
from simi.applications.tests.files import pdf_bytes
from simi.catalog.models import ServiceType
from simi.catalog.periods import validity_end
from simi.catalog.selectors import required_documents
from simi.oversight.models import StayPermit, Violation
from simi.oversight.register.detection import overstays_detect, permit_reminders_create
from simi.oversight.register.permits import permit_cancel, permit_register_from_issuance
from simi.payments.models import Bill
from simi.people.services import PersonData, person_create

SERVICE = "itas-extension-1y"
OFFICE = "kanim-kotabumi"
CURRENT = "KTB-ITAS-2025-0001"
SPONSOR = {
    "sponsor_kind": "company",
    "sponsor_name": "PT Kopi Liwa Sintetis",
    "sponsor_contact": "+62 812-0000-1111",
}


def put_json(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.put(url, data=body, content_type="application/json", **headers)


def foreigner(user: Any, *, name: str, passport: str) -> Any:
    person = person_create(
        actor=None,
        data=PersonData(
            kind="foreigner",
            full_name=name,
            nationality="NLD",
            passport_number=passport,
            birth_date=date(1990, 4, 2),
            sex="F",
        ),
    )
    user.person = person
    user.save(update_fields=["person"])
    return person


def itas(person: Any, *, number: str = CURRENT, ends_in: int = 20) -> StayPermit:
    """A current ITAS of ``person`` in the register, ending ``ends_in`` days from today."""
    from simi.core.models import Office

    today = timezone.localdate()
    return permit_register_from_issuance(
        actor=None,
        holder=person,
        kind="itas",
        number=number,
        valid_from=today - timedelta(days=340),
        valid_until=today + timedelta(days=ends_in),
        office=Office.objects.get(code=OFFICE),
        issued_document_id=uuid.uuid4(),
    )


@pytest.fixture
def mara(applicant: Any, catalogue: None) -> Any:
    """A foreigner applicant with her identity record."""
    foreigner(applicant, name="Mara Testperson", passport="NX1234567")
    return applicant


@pytest.fixture
def current(mara: Any) -> StayPermit:
    return itas(mara.person)


@pytest.fixture
def desk(kotabumi: Any) -> Any:
    return UserFactory(email="desk@example.test", role=Role.FRONT_DESK, office=kotabumi)


def draft(client: Client, service: str = SERVICE) -> dict[str, Any]:
    created = post_json(client, f"{API}/applications", {"service": service, "office": OFFICE})
    assert created.status_code == 201, created.content
    return created.json()


def offered(client: Client, app_id: str) -> list[dict[str, Any]]:
    response = client.get(f"{API}/applications/{app_id}/permits-to-extend")
    assert response.status_code == 200, response.content
    return response.json()


def choose(client: Client, app_id: str, permit: StayPermit | str, **headers: str) -> Any:
    """Save the sponsor and the permit to extend, by its id."""
    permit_id = str(permit.public_id) if isinstance(permit, StayPermit) else permit
    body = {**SPONSOR, "extends_permit": permit_id}
    return put_json(client, f"{API}/applications/{app_id}/details", body, **headers)


def upload_all(client: Client, app_id: str) -> None:
    for requirement in required_documents(ServiceType.objects.get(code=SERVICE)):
        if requirement.is_mandatory:
            upload = io.BytesIO(pdf_bytes(text=f"synthetic {requirement.code}"))
            upload.name = f"{requirement.code}.pdf"
            response = client.post(
                f"{API}/applications/{app_id}/documents",
                {"requirement_code": requirement.code, "file": upload},
            )
            assert response.status_code == 201, response.content


def approved(client: Client, officer: Client, chief: Client, app_id: str) -> None:
    """Submitted by the applicant, worked by the office up to the approval."""
    upload_all(client, app_id)
    assert (
        post_json(client, f"{API}/applications/{app_id}/submit", {"declaration": True}).status_code
        == 200
    )
    for path, body in (
        ("start-verification", {}),
        ("complete-verification", {}),
        ("interview", {"biometrics_reference": "BIO-0001"}),
    ):
        response = post_json(officer, f"{API}/office/applications/{app_id}/{path}", body)
        assert response.status_code == 200, (path, response.content)
    call_command("simulate_payment", Bill.objects.get(reference=app_id).billing_code)
    response = post_json(chief, f"{API}/office/applications/{app_id}/approve", {})
    assert response.status_code == 200, response.content


def error_code(response: Any) -> str:
    return response.json()["error"]["code"]


def test_a_foreigner_extends_her_itas_and_the_register_continues_it(
    mara, current, desk, supervisor, oversight, client_for
):
    client, chief = client_for(mara), client_for(supervisor)
    # given a draft for a one-year extension: the guided form asks which permit it extends
    created = draft(client)
    assert created["details_required"] == ["sponsor", "extends_permit"]
    app_id = created["id"]
    # and offers her current ITAS to choose
    choices = offered(client, app_id)
    assert [(c["id"], c["number"], c["status"]) for c in choices] == [
        (str(current.public_id), CURRENT, "active")
    ]
    # when she chooses it
    saved = choose(client, app_id, choices[0]["id"])
    # then it is accepted, and her application shows the permit it extends
    assert saved.status_code == 200, saved.content
    assert saved.json()["details_missing"] == []
    assert saved.json()["extends_permit"] == {
        "id": str(current.public_id),
        "number": CURRENT,
        "kind": "itas",
        "valid_from": current.valid_from.isoformat(),
        "valid_until": current.valid_until.isoformat(),
        "status": "active",
    }
    # and the officer sees it on the application
    approved(client, client_for(desk), chief, app_id)
    detail = client_for(desk).get(f"{API}/office/applications/{app_id}").json()
    assert detail["extends_permit"]["number"] == CURRENT

    # when the supervisor issues the extension
    issued = post_json(chief, f"{API}/office/applications/{app_id}/issue", {})
    assert issued.status_code == 200, issued.content
    # then the new permit starts the day after the current one ends and runs one year
    document = Application.objects.get(public_id=app_id).issued_document
    starts = current.valid_until + timedelta(days=1)
    assert (document.valid_from, document.valid_until) == (starts, validity_end(starts, "1y"))
    # and the register shows the chain: the new ITAS extends the old one, which is extended
    file = (
        client_for(oversight)
        .get(f"{API}/oversight/foreigners/{current.foreigner.public_id}")
        .json()
    )
    permits = {p["id"]: p for p in file["permits"]}
    assert len(permits) == 2
    old = permits[str(current.public_id)]
    new = next(p for p in permits.values() if p["id"] != old["id"])
    assert (old["status"], old["extends"]) == ("extended", None)
    assert (new["kind"], new["status"], new["extends"]) == ("itas", "active", old["id"])
    assert (new["valid_from"], new["issued_by_simi"]) == (starts.isoformat(), True)
    # and the foreigner's page in the back office names the permit extended
    page = client_for(oversight).get(
        f"/kantor/pengawasan/{current.foreigner.public_id}/",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200
    assert f"extends <code>{CURRENT}</code>" in page.content.decode()
    # and an extended permit is no longer offered for another extension
    assert [c["id"] for c in offered(client, draft(client)["id"])] == [new["id"]]


def test_no_overstay_or_reminder_for_the_end_of_a_permit_an_extension_continues(
    mara, current, desk, supervisor, client_for
):
    # given her ITAS extended through SIMI before it ended
    client, chief = client_for(mara), client_for(supervisor)
    app_id = draft(client)["id"]
    assert choose(client, app_id, current).status_code == 200
    approved(client, client_for(desk), chief, app_id)
    assert post_json(chief, f"{API}/office/applications/{app_id}/issue", {}).status_code == 200
    # when the reminder job runs within the old permit's last days
    reminders = permit_reminders_create(as_of=current.valid_until - timedelta(days=3))
    # then nobody is reminded of the end of a permit already extended
    assert str(current.public_id) not in reminders.found
    # and when the overstay job runs after the old permit's end, it finds none
    result = overstays_detect(as_of=current.valid_until + timedelta(days=10))
    assert result.found == []
    assert not Violation.objects.filter(permit=current).exists()

    # but when the extension is cancelled, the old permit is no longer continued
    extension = StayPermit.objects.get(extends=current)
    permit_cancel(actor=None, permit=extension)
    current.refresh_from_db()
    assert current.status == "active"
    # and its end is an overstay again
    result = overstays_detect(as_of=current.valid_until + timedelta(days=10))
    assert result.found == [str(current.public_id)]


def test_a_recently_ended_itas_is_extended_and_only_the_late_days_are_an_overstay(
    mara, desk, supervisor, client_for
):
    # given her ITAS ended ten days ago (within the 60-day overstay threshold)
    ended = itas(mara.person, ends_in=-10)
    client, chief = client_for(mara), client_for(supervisor)
    app_id = draft(client)["id"]
    # then it is still offered, as ended, and she may choose it
    assert [(c["id"], c["status"]) for c in offered(client, app_id)] == [
        (str(ended.public_id), "expired")
    ]
    assert choose(client, app_id, ended).status_code == 200
    # when the office works the extension and issues it
    approved(client, client_for(desk), chief, app_id)
    assert post_json(chief, f"{API}/office/applications/{app_id}/issue", {}).status_code == 200
    # then the extension starts on the day she applied, not back-dated over the gap
    today = timezone.localdate()
    extension = StayPermit.objects.get(extends=ended)
    assert extension.valid_from == today
    ended.refresh_from_db()
    assert ended.status == "extended"
    # and the overstay job counts exactly the nine days she held no permit, then stops
    overstays_detect(as_of=today + timedelta(days=30))
    violation = Violation.objects.get(permit=ended)
    assert (violation.overstay_from, violation.overstay_days) == (
        ended.valid_until + timedelta(days=1),
        9,
    )
    assert violation.is_running is False
    # and from now on the latest permit's end is the one that counts
    later = overstays_detect(as_of=extension.valid_until + timedelta(days=5))
    assert set(later.found) == {str(ended.public_id), str(extension.public_id)}
    assert Violation.objects.get(permit=ended).overstay_days == 9
    assert Violation.objects.get(permit=extension).overstay_days == 5


def test_it_offers_only_her_own_permits_that_can_be_extended(
    mara, current, other_applicant, client_for
):
    # given her current ITAS, an ITAS of hers ended long ago, a cancelled one,
    # and another woman's current ITAS
    itas(mara.person, number="KTB-ITAS-2023-0001", ends_in=-61)
    cancelled = itas(mara.person, number="KTB-ITAS-2024-0009", ends_in=40)
    permit_cancel(actor=None, permit=cancelled)
    other = foreigner(other_applicant, name="Lena Example", passport="NX7654321")
    itas(other, number="KTB-ITAS-2025-0002")
    # when she opens the choice for her extension
    choices = offered(client_for(mara), draft(client_for(mara))["id"])
    # then only her current ITAS is offered
    assert [c["number"] for c in choices] == [CURRENT]
    # and a service that extends nothing offers nothing
    assert offered(client_for(mara), draft(client_for(mara), service="itas-1y")["id"]) == []


def test_it_refuses_a_permit_of_someone_else_like_an_unknown_one(
    mara, current, other_applicant, client_for
):
    # given another foreigner with an ITAS of her own
    other = foreigner(other_applicant, name="Lena Example", passport="NX7654321")
    theirs_permit = itas(other, number="KTB-ITAS-2025-0002")
    app_id = draft(client_for(mara))["id"]
    # when Mara sends the other woman's permit, or an id that does not exist
    theirs = choose(client_for(mara), app_id, theirs_permit)
    unknown = choose(client_for(mara), app_id, str(uuid.uuid4()))
    # then both are refused alike, on the field, with a stable code and nothing saved
    for response in (theirs, unknown):
        assert response.status_code == 422, response.content
        assert error_code(response) == "permit_to_extend_unknown"
        assert "extends_permit" in response.json()["error"]["fields"]
    assert theirs.json()["error"] == unknown.json()["error"] | {
        "reference": theirs.json()["error"]["reference"]
    }
    assert Application.objects.get(public_id=app_id).extends_permit is None
    # and nothing of the other woman's permit is in the answer
    assert "KTB-ITAS-2025-0002" not in theirs.content.decode()


def test_the_refusal_is_translated(mara, current, client_for):
    app_id = draft(client_for(mara))["id"]
    # when the same unknown permit is sent in Indonesian and in English
    answers = [
        choose(client_for(mara), app_id, str(uuid.uuid4()), HTTP_ACCEPT_LANGUAGE=language)
        for language in ("id", "en")
    ]
    # then each answer is in its language
    indonesian, english = (a.json()["error"]["fields"]["extends_permit"][0] for a in answers)
    assert english.startswith("Choose one of your own ITAS")
    assert indonesian.startswith("Pilih salah satu ITAS")


def test_it_refuses_a_permit_that_ended_beyond_the_overstay_threshold(mara, client_for):
    # given an ITAS of hers that ended 61 days ago
    long_ago = itas(mara.person, ends_in=-61)
    app_id = draft(client_for(mara))["id"]
    # when she sends it anyway
    response = choose(client_for(mara), app_id, long_ago)
    # then it is refused: past 60 days an overstay is no longer regularised by an extension
    assert response.status_code == 422, response.content
    assert error_code(response) == "permit_to_extend_ended"


def test_it_refuses_a_permit_that_was_cancelled(mara, current, client_for):
    # given her ITAS was cancelled
    permit_cancel(actor=None, permit=current)
    app_id = draft(client_for(mara))["id"]
    # when she sends it
    response = choose(client_for(mara), app_id, current)
    # then it cannot be extended
    assert response.status_code == 422, response.content
    assert error_code(response) == "permit_to_extend_closed"


def test_a_draft_submitted_too_long_after_the_permit_ended_is_refused(mara, current, client_for):
    # given a draft naming her ITAS while it was still valid
    client = client_for(mara)
    app_id = draft(client)["id"]
    assert choose(client, app_id, current).status_code == 200
    upload_all(client, app_id)
    # when she submits only 61 days after its last day
    StayPermit.objects.filter(pk=current.pk).update(
        valid_until=timezone.localdate() - timedelta(days=61)
    )
    response = post_json(client, f"{API}/applications/{app_id}/submit", {"declaration": True})
    # then the application is refused and stays a draft
    assert response.status_code == 422, response.content
    assert error_code(response) == "permit_to_extend_ended"
    assert Application.objects.get(public_id=app_id).status == "draft"


def test_a_permit_cancelled_before_the_issue_stops_the_issue(
    mara, current, desk, supervisor, client_for
):
    # given an approved extension whose permit was cancelled meanwhile
    client, chief = client_for(mara), client_for(supervisor)
    app_id = draft(client)["id"]
    assert choose(client, app_id, current).status_code == 200
    approved(client, client_for(desk), chief, app_id)
    permit_cancel(actor=None, permit=current)
    # when the supervisor tries to issue it
    response = post_json(chief, f"{API}/office/applications/{app_id}/issue", {})
    # then nothing is issued and the register is unchanged
    assert response.status_code == 409, response.content
    assert error_code(response) == "permit_to_extend_closed"
    app = Application.objects.get(public_id=app_id)
    assert (app.status, app.issued_document) == ("approved", None)
    assert StayPermit.objects.filter(foreigner=current.foreigner).count() == 1


def test_a_first_itas_does_not_ask_for_a_permit_to_extend(mara, current, client_for):
    # given a draft for a first ITAS
    created = draft(client_for(mara), service="itas-1y")
    assert created["details_required"] == ["sponsor"]
    # when a permit to extend is sent anyway
    response = choose(client_for(mara), created["id"], current)
    # then it is refused as a detail this service does not ask for
    assert response.status_code == 422, response.content
    assert error_code(response) == "not_asked"


def test_the_guided_form_page_offers_her_permits_to_choose(
    mara, current, other_applicant, client_for
):
    # given a draft for an extension, opened in the portal
    other = foreigner(other_applicant, name="Lena Example", passport="NX7654321")
    theirs = itas(other, number="KTB-ITAS-2025-0002")
    client = client_for(mara)
    app_id = draft(client)["id"]
    page = client.get(f"/permohonan/{app_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # then her current ITAS is offered as a choice, and nobody else's
    assert f'name="extends_permit" value="{current.public_id}"' in page
    assert CURRENT in page
    assert "KTB-ITAS-2025-0002" not in page
    # when she posts the form with someone else's permit
    url = f"/permohonan/{app_id}/rincian/"
    refused = client.post(url, {**SPONSOR, "extends_permit": str(theirs.public_id)})
    # then the page refuses it, and with her own it is saved
    assert refused.status_code == 422
    assert Application.objects.get(public_id=app_id).extends_permit is None
    saved = client.post(url, {**SPONSOR, "extends_permit": str(current.public_id)})
    assert saved.status_code == 302
    assert Application.objects.get(public_id=app_id).extends_permit == current
    # and her check-your-answers page names the permit the extension continues
    check = client.get(f"/permohonan/{app_id}/periksa/", HTTP_ACCEPT_LANGUAGE="en")
    assert check.status_code == 200
    assert CURRENT in check.content.decode()
