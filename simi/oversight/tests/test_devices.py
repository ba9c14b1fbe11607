import base64
import json
import secrets
import time
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from simi.audit.models import AuditEntry
from simi.oversight.devices.keys import sign_hmac
from simi.oversight.devices.services import DeviceData, device_register, devices_check_offline
from simi.oversight.models import Device, DeviceAlert, DeviceEvent
from simi.people.services import passport_index

pytestmark = pytest.mark.django_db

URL = "/api/v1/devices/events"


def _private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _public_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


@pytest.fixture
def hmac_device(oversight):
    registered = device_register(
        actor=oversight,
        data=DeviceData(
            code="cctv-liwa-01",
            kind="cctv_analytics",
            kecamatan_code="18.04.04",
            location="Simpang Pasar Liwa",
            key_kind="hmac",
        ),
    )
    return registered.device, registered.secret


@pytest.fixture
def ed_device(oversight):
    key = _private_key()
    registered = device_register(
        actor=oversight,
        data=DeviceData(
            code="gate-liwa-01",
            kind="autogate",
            kecamatan_code="18.04.04",
            location="Gerbang kantor",
            key_kind="ed25519",
            public_key=_public_b64(key),
        ),
    )
    assert registered.secret is None
    return registered.device, key


def event(event_id: str, kind: str = "plate_read", **extra):
    return {
        "event_id": event_id,
        "kind": kind,
        "occurred_at": timezone.now().isoformat(),
        "payload": {"confidence": 0.93},
        **extra,
    }


def body_of(events) -> bytes:
    return json.dumps({"events": events}).encode()


def headers(device, signature, ts, nonce):
    return {
        "HTTP_X_SIMI_DEVICE": device.code,
        "HTTP_X_SIMI_TIMESTAMP": str(ts),
        "HTTP_X_SIMI_NONCE": nonce,
        "HTTP_X_SIMI_SIGNATURE": signature,
    }


def post_hmac(device, secret, body, *, ts=None, nonce=None, signature=None):
    ts = ts or int(time.time())
    nonce = nonce or secrets.token_hex(12)
    signature = signature or sign_hmac(secret, ts, nonce, body)
    return Client().post(
        URL, body, content_type="application/json", **headers(device, signature, ts, nonce)
    )


def post_ed(device, key, body, *, ts=None, nonce=None):
    ts = ts or int(time.time())
    nonce = nonce or secrets.token_hex(12)
    signature = base64.b64encode(key.sign(f"{ts}\n{nonce}\n".encode() + body)).decode()
    return Client().post(
        URL, body, content_type="application/json", **headers(device, signature, ts, nonce)
    )


def test_a_signed_hmac_batch_is_stored_and_counted(hmac_device):
    device, secret = hmac_device
    response = post_hmac(device, secret, body_of([event("e1"), event("e2", "heartbeat")]))
    assert response.status_code == 200, response.content
    assert (response.json()["accepted"], response.json()["duplicates"]) == (2, 0)
    assert DeviceEvent.objects.filter(device=device).count() == 2
    device.refresh_from_db()
    assert device.last_seen_at is not None


def test_an_ed25519_batch_with_a_base64_signature_is_accepted(ed_device):
    device, key = ed_device
    response = post_ed(device, key, body_of([event("g1", "gate_passage")]))
    assert response.status_code == 200, response.content
    assert response.json()["accepted"] == 1


def test_a_replayed_nonce_is_refused(hmac_device):
    device, secret = hmac_device
    body = body_of([event("e1")])
    ts, nonce = int(time.time()), "nonce-0123456789abcdef"
    assert post_hmac(device, secret, body, ts=ts, nonce=nonce).status_code == 200
    # the very same request captured and sent again
    again = post_hmac(device, secret, body, ts=ts, nonce=nonce)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "nonce_replayed"
    # even with new events under the old nonce
    other = post_hmac(device, secret, body_of([event("e9")]), ts=ts, nonce=nonce)
    assert other.status_code == 401
    assert DeviceEvent.objects.count() == 1


def test_a_forged_hmac_signature_is_refused(hmac_device):
    device, _secret = hmac_device
    body = body_of([event("e1")])
    response = post_hmac(device, "sdk_not-the-secret", body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_invalid"
    assert DeviceEvent.objects.count() == 0


def test_a_body_changed_after_signing_is_refused(hmac_device):
    device, secret = hmac_device
    ts, nonce = int(time.time()), secrets.token_hex(12)
    signature = sign_hmac(secret, ts, nonce, body_of([event("e1")]))
    response = post_hmac(
        device, secret, body_of([event("e2")]), ts=ts, nonce=nonce, signature=signature
    )
    assert response.status_code == 401
    assert DeviceEvent.objects.count() == 0


def test_an_ed25519_signature_by_another_key_is_refused(ed_device):
    device, _key = ed_device
    response = post_ed(device, _private_key(), body_of([event("g1")]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "signature_invalid"
    assert DeviceEvent.objects.count() == 0


def test_a_stale_timestamp_is_refused(hmac_device):
    device, secret = hmac_device
    stale = int(time.time()) - 6 * 60
    response = post_hmac(device, secret, body_of([event("e1")]), ts=stale)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "timestamp_out_of_window"
    assert DeviceEvent.objects.count() == 0


def test_an_unknown_or_disabled_device_is_refused(hmac_device, oversight):
    from simi.oversight.devices.services import device_set_status

    device, secret = hmac_device
    device_set_status(actor=oversight, device=device, status="disabled")
    response = post_hmac(device, secret, body_of([event("e1")]))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unknown_device"
    assert Client().post(URL, b"{}", content_type="application/json").status_code == 401


def test_a_batch_with_one_bad_event_writes_nothing_and_names_its_index(hmac_device):
    device, secret = hmac_device
    events = [event(f"e{i}") for i in range(5)]
    events[3]["occurred_at"] = "yesterday-ish"
    response = post_hmac(device, secret, body_of(events))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "event_invalid"
    assert list(error["fields"]) == ["events.3.occurred_at"]
    assert "3" in error["message"]
    assert DeviceEvent.objects.count() == 0
    device.refresh_from_db()
    assert device.last_seen_at is None


def test_personal_data_in_a_payload_is_refused(hmac_device):
    device, secret = hmac_device
    bad = event("e1", payload={"full_name": "TESANU VOLAKI"})
    response = post_hmac(device, secret, body_of([event("e0"), bad]))
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["events.1.payload"]


def test_a_passport_number_is_stored_only_as_its_blind_index(hmac_device):
    device, secret = hmac_device
    found = event("e1", "face_match_candidate", passport_number="X12345678", nationality="AUS")
    assert post_hmac(device, secret, body_of([found])).status_code == 200
    stored = DeviceEvent.objects.get()
    assert stored.passport_index == passport_index("X12345678", "AUS")
    assert "X12345678" not in json.dumps(stored.payload)


def test_a_resent_event_is_counted_as_duplicate_not_stored_twice(hmac_device):
    device, secret = hmac_device
    first = post_hmac(device, secret, body_of([event("e1"), event("e2")]))
    assert first.json() | {"received_at": None} == {
        "accepted": 2,
        "duplicates": 0,
        "received_at": None,
    }
    # the device did not get the answer and sends the batch again, with one new event
    again = post_hmac(device, secret, body_of([event("e1"), event("e2"), event("e3")]))
    assert (again.json()["accepted"], again.json()["duplicates"]) == (1, 2)
    assert DeviceEvent.objects.filter(device=device).count() == 3


def test_an_oversized_body_is_refused(hmac_device, settings):
    device, secret = hmac_device
    big = b'{"events": [], "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    response = post_hmac(device, secret, big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_more_than_5000_events_is_refused(hmac_device):
    device, secret = hmac_device
    events = [{"event_id": "h", "kind": "heartbeat", "occurred_at": "2026-01-01"}] * 5001
    response = post_hmac(device, secret, body_of(events))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "batch_too_large"


def test_batches_are_rate_limited_per_device(hmac_device, settings):
    settings.SIMI_DEVICE_BATCH_LIMIT = 2
    device, secret = hmac_device
    codes = [post_hmac(device, secret, body_of([event(f"e{i}")])).status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_registration_shows_the_hmac_secret_once(oversight, client_for, kotabumi):
    client = client_for(oversight)
    response = client.post(
        reverse("oversight_office:device_register"),
        {
            "code": "kiosk-liwa-01",
            "kind": "kiosk",
            "kecamatan": "18.04.04",
            "location": "Ruang tunggu ULP Liwa",
            "key_kind": "hmac",
            "expected_interval_minutes": "10",
        },
    )
    assert response.status_code == 200, response.content[:500]
    device = Device.objects.get(code="kiosk-liwa-01")
    assert device.secret
    assert device.secret in response.content.decode()
    assert response["Cache-Control"].startswith("no-store")
    # the device page never shows it again
    page = client.get(reverse("oversight_office:device", args=[device.public_id]))
    assert page.status_code == 200
    assert device.secret not in page.content.decode()
    audit = AuditEntry.objects.get(action="oversight.device_registered")
    assert device.secret not in json.dumps(audit.data)


def test_registration_refuses_a_bad_ed25519_key(oversight, client_for, kotabumi):
    response = client_for(oversight).post(
        reverse("oversight_office:device_register"),
        {
            "code": "gate-x",
            "kind": "autogate",
            "kecamatan": "18.04.04",
            "location": "Gerbang",
            "key_kind": "ed25519",
            "public_key": "not a key",
            "expected_interval_minutes": "10",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "Ed25519 public key" in response.content.decode()
    assert not Device.objects.exists()


def test_a_rotated_key_replaces_the_old_one(hmac_device, oversight):
    from simi.oversight.devices.services import device_rekey

    device, old = hmac_device
    new = device_rekey(actor=oversight, device=device, key_kind="hmac").secret
    assert post_hmac(device, old, body_of([event("e1")])).status_code == 401
    assert post_hmac(device, new, body_of([event("e1")])).status_code == 200


def test_an_officer_of_another_office_sees_none_of_our_devices(
    hmac_device, oversight_elsewhere, client_for
):
    device, _secret = hmac_device
    client = client_for(oversight_elsewhere)
    assert client.get("/api/v1/oversight/devices").json()["count"] == 0
    assert (
        client.get(reverse("oversight_office:device", args=[device.public_id])).status_code == 404
    )
    listing = client.get(reverse("oversight_office:devices"))
    assert device.code not in listing.content.decode()


def test_an_offline_alert_is_raised_once_and_closed_on_return(hmac_device, oversight, client_for):
    device, secret = hmac_device
    start = timezone.now()
    post_hmac(device, secret, body_of([event("hb1", "heartbeat")]))
    # 11 minutes of silence: one alert, however often the job runs
    with freeze_time(start + timedelta(minutes=11)):
        assert len(devices_check_offline().opened) == 1
        assert devices_check_offline().opened == []
    with freeze_time(start + timedelta(minutes=30)):
        assert devices_check_offline().opened == []
    alert = DeviceAlert.objects.get()
    assert alert.closed_at is None
    page = client_for(oversight).get(reverse("oversight_office:device_alerts"))
    assert device.code in page.content.decode()
    # the device comes back: the outage ends
    with freeze_time(start + timedelta(minutes=31)):
        assert post_hmac(device, secret, body_of([event("hb2", "heartbeat")])).status_code == 200
    alert.refresh_from_db()
    assert alert.closed_at is not None
    # both ends of the outage are in the audit log
    outage = set(
        AuditEntry.objects.filter(data__device=device.code).values_list("action", flat=True)
    )
    assert {"oversight.device_went_offline", "oversight.device_came_back_online"} <= outage
    # a later silence is a new outage, a new alert
    with freeze_time(start + timedelta(minutes=45)):
        assert len(devices_check_offline().opened) == 1
    assert DeviceAlert.objects.count() == 2


def test_a_device_never_heard_from_is_flagged_after_its_interval(hmac_device):
    _device, _secret = hmac_device
    with freeze_time(timezone.now() + timedelta(minutes=9)):
        assert devices_check_offline().opened == []
    with freeze_time(timezone.now() + timedelta(minutes=11)):
        assert len(devices_check_offline().opened) == 1
