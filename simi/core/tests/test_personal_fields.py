"""Every field that looks like it holds personal data is encrypted at rest.

Issue 12, finding 9: ``accounts_user.full_name`` was a plain column. A field
whose name says name, NIK, passport, address, phone, e-mail, birth or MRZ is
an ``Encrypted*`` field (``simi.core.fields``), a blind index (``*_index``),
or is listed below with the reason it may stay in clear. A new plain field
with such a name fails here until someone decides.
"""

import importlib
import re

import pytest
from django.apps import apps
from django.db import connection, models

from simi.accounts.models import User
from simi.core.fields import EncryptedMixin

PERSONAL = re.compile(r"(^|_)(name|names|surname|nik|passport|address|phone|email|birth|mrz)(_|$)")

# label.field: why it stays in clear.
IN_CLEAR = {
    "accounts.User.email": "the login name: unique, looked up at every sign-in (docs/security.md)",
    "accounts.ApiToken.name": "the owner's label for a token, e.g. 'Android phone'",
    "core.Region.name": "reference data: a region, not a person",
    "core.Office.name": "reference data: an office",
    "core.Office.address": "reference data: the office's public address",
    "core.Office.phone": "reference data: the office's public number",
    "core.ScheduledRun.name": "the name of a periodic job",
    "catalog.ServiceType.name_id": "vocabulary",
    "catalog.ServiceType.name_en": "vocabulary",
    "catalog.RequiredDocument.name_id": "vocabulary",
    "catalog.RequiredDocument.name_en": "vocabulary",
    "appointments.Session.name_id": "vocabulary",
    "appointments.Session.name_en": "vocabulary",
    "enforcement.ActionType.name_id": "vocabulary",
    "enforcement.ActionType.name_en": "vocabulary",
    "screening.Watchlist.name": "the name of a list, e.g. a sanctions list",
    "payments.PaymentChannel.name": "a bank's payment channel",
    "payments.PaymentMethod.name_id": "vocabulary: a way to pay, e.g. 'ATM'",
    "payments.PaymentMethod.name_en": "vocabulary: a way to pay, e.g. 'ATM'",
    "payments.Reconciliation.file_name": "the name of a bank statement file",
    "oversight.LodgingPlace.name": "a hotel or guest house",
    "oversight.Sighting.passport_nationality": "a country code (statistics)",
    "applications.ApplicationDocument.storage_name": "a random storage name",
    "enforcement.Evidence.storage_name": "a random storage name",
    "oversight.Sighting.photo_name": "a random storage name",
}


def _plain_personal_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("simi."):
            continue
        for field in model._meta.concrete_fields:
            plain = isinstance(field, models.CharField | models.TextField)
            if not plain or isinstance(field, EncryptedMixin) or field.name.endswith("_index"):
                continue
            if PERSONAL.search(field.name):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_no_field_named_like_personal_data_is_stored_in_clear():
    unexpected = _plain_personal_fields() - IN_CLEAR.keys()
    assert not unexpected, (
        "encrypt these (simi.core.fields) or list them in IN_CLEAR with a reason: "
        f"{sorted(unexpected)}"
    )


def test_the_list_of_exceptions_names_only_fields_that_exist():
    # An exception left behind after its field became encrypted (or went) is removed.
    assert IN_CLEAR.keys() <= _plain_personal_fields()


def _stored_name(email: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT full_name FROM accounts_user WHERE email = %s", [email])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_account_name_is_ciphertext_in_the_database(client):
    # when someone registers
    client.post(
        "/akun/daftar/",
        {
            "full_name": "Kanari Nama Akun",
            "email": "kanari@example.test",
            "password": "kopi-liwa-pagi-2026",
            "password_confirm": "kopi-liwa-pagi-2026",
        },
    )
    # then the name is stored as ciphertext and read back in clear
    stored = _stored_name("kanari@example.test")
    assert stored.startswith("v1:")
    assert "Kanari" not in stored
    assert User.objects.get(email="kanari@example.test").full_name == "Kanari Nama Akun"


@pytest.mark.django_db
def test_the_migration_encrypts_names_stored_in_clear_and_back(applicant):
    # given a name as it was stored before the migration, in clear
    migration = importlib.import_module("simi.accounts.migrations.0006_user_full_name_encrypt_rows")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET full_name = %s WHERE id = %s", ["Ani Lama", applicant.pk]
        )
    # when the data migration runs (twice: it is repeatable)
    migration.encrypt_names(None, connection.schema_editor())
    migration.encrypt_names(None, connection.schema_editor())
    # then the row holds ciphertext that reads back as the name
    assert _stored_name(applicant.email).startswith("v1:")
    assert User.objects.get(pk=applicant.pk).full_name == "Ani Lama"
    # and going back writes it in clear again
    migration.decrypt_names(None, connection.schema_editor())
    assert _stored_name(applicant.email) == "Ani Lama"
