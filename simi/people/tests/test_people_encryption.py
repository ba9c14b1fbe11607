"""Personal data is encrypted at rest and found again only by blind index."""

import json
import logging
import shutil
import subprocess
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from simi.audit.models import AuditEntry
from simi.core import keys
from simi.core.crypto import DecryptionError, decrypt
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.people.models import Person
from simi.people.selectors import person_lookup
from simi.people.services import PersonData, person_create, person_update

pytestmark = pytest.mark.django_db

# Canary values: made up, and written nowhere else in the repository.
CANARY_NIK = "1804045304870077"
CANARY_PASSPORT = "XQ765432"
CANARY_NAME = "Kanari Uji Sandiwara"


def _citizen(**extra) -> PersonData:
    return PersonData(
        kind="citizen", full_name=CANARY_NAME, nik=CANARY_NIK, address="Pekon Canary Uji", **extra
    )


def _raw(column: str, person: Person) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM core_person WHERE id = %s", [person.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_it_stores_ciphertext_and_reads_back_the_person(officer):
    person = person_create(actor=officer, data=_citizen())
    assert _raw("nik", person).startswith("v1:k")
    assert CANARY_NIK not in _raw("nik", person)
    assert CANARY_NAME not in _raw("full_name", person)
    again = Person.objects.get(pk=person.pk)
    assert (again.nik, again.full_name, again.sex) == (CANARY_NIK, CANARY_NAME, "F")
    assert again.birth_date == date(1987, 4, 13)


def test_ciphertext_moved_to_another_column_does_not_decrypt(officer):
    person = person_create(actor=officer, data=_citizen())
    with pytest.raises(DecryptionError):
        decrypt(_raw("nik", person), context="core_person.full_name")


def test_staff_find_a_person_by_exact_nik_with_an_audited_purpose(officer):
    person = person_create(actor=officer, data=_citizen())
    other = person_create(
        actor=officer,
        data=PersonData(
            kind="foreigner",
            full_name="Anna Keller",
            nationality="DEU",
            passport_number="C01X00T47",
        ),
    )
    found = person_lookup(
        actor=officer, purpose="Verifikasi berkas loket", nik="1804 0453 0487 0077"
    )
    assert found == person
    by_passport = person_lookup(
        actor=officer,
        purpose="Verifikasi berkas loket",
        passport_number="c01x00t47",
        nationality="deu",
    )
    assert by_passport == other
    entry = AuditEntry.objects.filter(action="people.person_looked_up").first()
    assert entry.purpose == "Verifikasi berkas loket"
    assert entry.actor == officer
    assert CANARY_NIK not in json.dumps(entry.data)


def test_a_miss_is_audited_and_answers_not_found(officer):
    with pytest.raises(NotFound):
        person_lookup(actor=officer, purpose="Pemeriksaan lapangan", nik="1804041708850001")
    assert AuditEntry.objects.get(action="people.person_looked_up").data == {
        "by": "nik",
        "found": False,
    }


@pytest.mark.parametrize("persona", ["applicant", "analyst", "auditor", "partner"])
def test_only_casework_roles_may_look_people_up(request, persona):
    with pytest.raises(PermissionDenied):
        person_lookup(
            actor=request.getfixturevalue(persona), purpose="Rasa ingin tahu saja", nik=CANARY_NIK
        )


def test_a_lookup_needs_a_real_purpose(officer):
    with pytest.raises(ValidationFailed) as caught:
        person_lookup(actor=officer, purpose="cek", nik=CANARY_NIK)
    assert "purpose" in caught.value.fields


def test_the_same_nik_cannot_be_registered_twice(officer):
    person_create(actor=officer, data=_citizen())
    with pytest.raises(Conflict) as caught:
        person_create(actor=officer, data=_citizen())
    assert "nik" in caught.value.fields
    assert Person.objects.count() == 1


def test_bad_identity_data_is_refused_field_by_field_and_nothing_is_written(officer):
    data = PersonData(
        kind="citizen", full_name="", nik="12", birth_date=date(2030, 1, 1), phone="12"
    )
    with pytest.raises(ValidationFailed) as caught:
        person_create(actor=officer, data=data)
    assert {"full_name", "nik", "birth_date", "phone"} <= set(caught.value.fields)
    assert not Person.objects.exists()


def test_an_update_audits_field_names_not_values(officer):
    person = person_create(actor=officer, data=_citizen())
    person_update(actor=officer, person=person, data=_citizen(phone="+62 812 3456 7890"))
    entry = AuditEntry.objects.get(action="people.person_updated")
    assert entry.data == {"fields": ["phone"]}
    assert Person.objects.get(pk=person.pk).phone == "+6281234567890"


def test_the_lookup_api_keeps_the_nik_out_of_urls_and_logs(client_for, officer, caplog):
    person_create(actor=officer, data=_citizen())
    caplog.set_level(logging.DEBUG)
    response = client_for(officer).post(
        "/api/v1/people/lookup",
        {"nik": CANARY_NIK, "purpose": "Verifikasi berkas loket"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["nik_masked"] == "1804********0077"
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    assert CANARY_NIK not in caplog.text
    assert CANARY_NAME not in caplog.text


@pytest.mark.django_db(transaction=True)
def test_canaries_appear_nowhere_in_the_database_files(officer, tmp_path):
    # given canary identity data written through the normal service
    person_create(actor=officer, data=_citizen(passport_number=CANARY_PASSPORT))
    # when we read the raw storage
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(FULL)")
        name = Path(connection.settings_dict["NAME"])
        blobs = [p.read_bytes() for p in (name, Path(f"{name}-wal")) if p.exists()]
    else:
        pg_dump = shutil.which("pg_dump") or "/usr/lib/postgresql/15/bin/pg_dump"
        parts = urlsplit(__import__("os").environ["DATABASE_URL"])
        url = parts._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
        blobs = [subprocess.run([pg_dump, "--dbname", url], capture_output=True, check=True).stdout]
    # then no canary is there in clear
    for blob in blobs:
        for canary in (CANARY_NIK, CANARY_PASSPORT, CANARY_NAME, "Pekon Canary Uji"):
            assert canary.encode() not in blob


@pytest.mark.django_db(transaction=True)
def test_rotate_keys_moves_every_row_to_the_new_key(officer, tmp_path, monkeypatch):
    # given a key ring of its own and people encrypted under key k1
    monkeypatch.setenv("SIMI_KEY_DIR", str(tmp_path))
    keys.clear_caches()
    # the officer's name was written under the shared ring: again, under this one
    officer.save(update_fields=["full_name"])
    people = [
        person_create(
            actor=officer,
            data=PersonData(
                kind="citizen", full_name=f"Orang Uji {i}", nik=f"18040417088500{i + 10:02d}"
            ),
        )
        for i in range(7)
    ]
    assert {_raw("nik", p).split(":")[1] for p in people} == {"k1"}
    # when the operator rotates with a new key, in small batches
    call_command("rotate_keys", "--new-key", "--batch-size", "3", verbosity=0)
    # then no row is left on k1, the data reads back and look-ups still work
    call_command("rotate_keys", "--check", verbosity=0)
    assert {_raw("nik", p).split(":")[1] for p in people} == {"k2"}
    assert {_raw("full_name", p).split(":")[1] for p in people} == {"k2"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM accounts_user WHERE id = %s", [officer.pk])
        assert cursor.fetchone()[0].split(":")[1] == "k2"  # the account's name too
    assert Person.objects.get(pk=people[3].pk).full_name == "Orang Uji 3"
    assert (
        person_lookup(actor=officer, purpose="Uji rotasi kunci", nik="1804041708850013")
        == people[3]
    )
    keys.clear_caches()


@pytest.mark.django_db(transaction=True)
def test_rotate_check_fails_while_rows_remain_on_an_old_key(officer, tmp_path, monkeypatch):
    monkeypatch.setenv("SIMI_KEY_DIR", str(tmp_path))
    keys.clear_caches()
    person_create(actor=officer, data=_citizen())
    keys.save_data_keyring(keys.data_keyring().with_new_key())
    with pytest.raises(CommandError, match="older keys"):
        call_command("rotate_keys", "--check", verbosity=0)
    keys.clear_caches()
