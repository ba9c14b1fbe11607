"""The personal-data incident register: the 3x24-hour notice clock and the letters."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from simi.audit.models import AuditEntry
from simi.core.errors import PermissionDenied, ValidationFailed
from simi.privacy.models import Incident
from simi.privacy.services import IncidentData, incident_mark_notified, incident_report

pytestmark = pytest.mark.django_db

DESCRIPTION = "Ekspor daftar pemohon terkirim ke alamat surel yang salah oleh petugas."
REMEDIATION = "Penerima diminta menghapus surel; pengiriman ekspor kini butuh persetujuan."


def _data(**extra):
    now = timezone.now()
    values = {
        "title": "Surel salah kirim",
        "description": DESCRIPTION,
        "occurred_at": now - timedelta(hours=30),
        "discovered_at": now - timedelta(hours=2),
        "severity": "high",
        "data_categories": ["identity_numbers", "criminal_record"],
        "affected_subjects": 12,
        "remediation": REMEDIATION,
    }
    values.update(extra)
    return IncidentData(**values)


def test_the_notice_deadline_is_72_hours_after_discovery(admin_user):
    incident = incident_report(actor=admin_user, data=_data())
    assert incident.notify_deadline == incident.discovered_at + timedelta(hours=72)
    assert incident.hours_left() == 69
    assert incident.has_specific_data
    with freeze_time(incident.notify_deadline + timedelta(minutes=30)):
        assert incident.is_overdue
        assert incident.hours_overdue == 1
    entry = AuditEntry.objects.get(action="privacy.incident_reported")
    assert DESCRIPTION not in str(entry.data)


def test_both_notices_move_the_incident_to_notified(admin_user):
    incident = incident_report(actor=admin_user, data=_data())
    incident = incident_mark_notified(
        actor=admin_user, public_id=incident.public_id, audience="subjects"
    )
    assert incident.status == Incident.Status.OPEN
    incident = incident_mark_notified(
        actor=admin_user, public_id=incident.public_id, audience="authority"
    )
    assert incident.status == Incident.Status.NOTIFIED
    assert not incident.is_overdue


def test_bad_incident_input_names_every_field(admin_user):
    with pytest.raises(ValidationFailed) as caught:
        incident_report(
            actor=admin_user,
            data=_data(
                title="",
                occurred_at=timezone.now(),
                discovered_at=timezone.now() - timedelta(days=1),
                severity="apocalyptic",
                data_categories=["horoscope"],
            ),
        )
    assert {"title", "discovered_at", "severity", "data_categories"} <= set(caught.value.fields)


def test_only_handlers_record_incidents(supervisor, auditor):
    for persona in (supervisor, auditor):
        with pytest.raises(PermissionDenied):
            incident_report(actor=persona, data=_data())


@pytest.mark.parametrize("audience", ["subjects", "authority"])
@pytest.mark.parametrize(
    ("language", "data_word", "how_word", "remedy_word", "category"),
    [
        (
            "id",
            "Data pribadi yang terungkap",
            "Kapan dan bagaimana",
            "Upaya penanganan dan pemulihan",
            "catatan kejahatan",
        ),
        (
            "en",
            "The personal data exposed",
            "When and how",
            "Handling and recovery",
            "criminal records",
        ),
    ],
)
def test_each_letter_states_what_data_when_how_and_the_remediation(
    client_for, admin_user, audience, language, data_word, how_word, remedy_word, category
):
    incident = incident_report(actor=admin_user, data=_data())
    page = client_for(admin_user).get(
        f"/kantor/data-pribadi/insiden/{incident.public_id}/surat/{audience}/{language}/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    for required in (data_word, how_word, remedy_word, category, DESCRIPTION, REMEDIATION):
        assert required in html
    for legal in ("27", "2022", "46"):
        assert legal in html
    assert str(incident.public_id) in html


def test_an_unknown_letter_is_not_found(client_for, admin_user):
    incident = incident_report(actor=admin_user, data=_data())
    base = f"/kantor/data-pribadi/insiden/{incident.public_id}/surat/"
    assert client_for(admin_user).get(base + "press/id/").status_code == 404
    assert client_for(admin_user).get(base + "subjects/fr/").status_code == 404


def test_the_register_pages_create_show_and_update_an_incident(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/kantor/data-pribadi/insiden/baru/").status_code == 200
    bad = client.post("/kantor/data-pribadi/insiden/baru/", {"title": ""})
    assert bad.status_code == 422
    assert "field-error" in bad.content.decode()
    now = timezone.localtime()
    made = client.post(
        "/kantor/data-pribadi/insiden/baru/",
        {
            "title": "Laptop hilang",
            "description": DESCRIPTION,
            "occurred_at": (now - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"),
            "discovered_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "severity": "medium",
            "data_categories": ["contact", "children"],
            "affected_subjects": "3",
            "remediation": "",
        },
    )
    assert made.status_code == 302
    incident = Incident.objects.get()
    detail = client.get(made["Location"])
    assert detail.status_code == 200
    assert "alert-warning" in detail.content.decode()  # hours left shown
    listed = client.get("/kantor/data-pribadi/insiden/")
    assert "Laptop hilang" in listed.content.decode()
    future = client.post(
        made["Location"],
        {
            "form": "notified",
            "audience": "subjects",
            "notified_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert future.status_code == 422
    sent = client.post(
        made["Location"],
        {"form": "notified", "audience": "subjects", "notified_at": now.strftime("%Y-%m-%dT%H:%M")},
    )
    assert sent.status_code == 302
    incident.refresh_from_db()
    assert incident.subjects_notified_at is not None


def test_an_overdue_incident_is_highlighted(client_for, admin_user):
    with freeze_time(timezone.now() - timedelta(days=4)):
        incident = incident_report(actor=admin_user, data=_data())
    page = client_for(admin_user).get(f"/kantor/data-pribadi/insiden/{incident.public_id}/")
    assert "alert-error" in page.content.decode()
    listed = client_for(admin_user).get("/api/v1/privacy/incidents").json()
    assert listed["items"][0]["hours_left"] < 0
