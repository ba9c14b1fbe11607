"""SPLPs the workflow once registered as passports become travel documents,
and back; their printed seals keep verifying either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from simi.applications.models import Application
from simi.applications.tests.test_issued_kinds import approved, issue
from simi.catalog.models import ServiceType
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal_text
from simi.issuance.services import document_issue, number_index
from simi.issuance.verification import seal_verify

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("applications", "0005_person_moved_to_people")
AFTER = ("applications", "0006_splp_registered_as_travel_documents")


def migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def registered(document: IssuedDocument) -> tuple[str, bool, str]:
    """The register's kind, whether the number index is that kind's, and the seal's verdict."""
    row = IssuedDocument.objects.get(pk=document.pk)
    verdict = seal_verify(document_seal_text(row))
    assert verdict.kind == row.kind
    return row.kind, row.number_index == number_index(row.kind, row.number), verdict.status


def test_it_registers_splps_issued_as_passports_as_travel_documents_and_back(
    catalogue, applicant, supervisor, client_for
):
    try:
        # given an issued SPLP, and a passport registered without an MRZ outside the workflow
        chief = client_for(supervisor)
        splp = ServiceType.objects.get(code="splp-citizen")
        app_id = approved(splp, applicant, chief, client_for)
        assert issue(chief, app_id, splp).status_code == 200
        document = Application.objects.get(public_id=app_id).issued_document
        passport = document_issue(
            actor=supervisor,
            kind="passport",
            holder=None,
            number="P0000001",
            valid_from=document.valid_from,
            valid_until=document.valid_until,
            office=document.office,
        )
        # when the migration is reversed, the SPLP reads as the passport it was registered as
        migrate(BEFORE)
        assert registered(document) == ("passport", True, "valid")
        # and when it runs, the SPLP is a travel document again
        migrate(AFTER)
        assert registered(document) == ("travel_document", True, "valid")
        # and the passport, issued for no SPLP application, is left alone
        assert IssuedDocument.objects.get(pk=passport.pk).kind == "passport"
    finally:
        migrate_to_latest()
