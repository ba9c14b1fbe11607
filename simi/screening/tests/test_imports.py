"""Versioned watchlist imports: counts, idempotence, refusals, progress."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, ValidationFailed
from simi.screening.imports import watchlist_import_run, watchlist_import_start
from simi.screening.models import EntryStatus, WatchlistEntry, WatchlistImport

from .conftest import import_bytes, simi_csv

pytestmark = pytest.mark.django_db

FIRST = simi_csv(
    "a,Kurowi Sabadane,K. Sabadane,1961-01-01,MY,A1234567,entry_ban,synthetic",
    "b,Melanu Tigaro,,1970,ID,,entry_ban,synthetic",
    "c,Zefaro Nilowe,,,,,entry_ban,synthetic",
)
SECOND = simi_csv(
    "a,Kurowi Sabadane,K. Sabadane,1961-01-01,MY,A1234567,entry_ban,synthetic",
    "b,Melanu Tigaro,Melanoe Tigaro,1970,ID,,entry_ban,synthetic",  # changed: alias added
    "d,Badoyo Kasimeta,,1980-02-02,SG,,entry_ban,synthetic",  # added; c removed
)


def test_a_first_import_adds_every_entry_as_a_draft(admin_user, entry_ban):
    upload = import_bytes(admin_user, entry_ban, FIRST)
    assert upload.status == WatchlistImport.Status.DONE
    assert (upload.added_count, upload.changed_count, upload.removed_count) == (3, 0, 0)
    assert upload.version == 1
    assert set(WatchlistEntry.objects.values_list("status", flat=True)) == {EntryStatus.DRAFT}
    assert upload.content is None  # the file is not kept once read


def test_a_second_version_counts_added_changed_removed_and_unchanged(admin_user, entry_ban):
    import_bytes(admin_user, entry_ban, FIRST)
    upload = import_bytes(admin_user, entry_ban, SECOND)
    assert (
        upload.added_count,
        upload.changed_count,
        upload.removed_count,
        upload.unchanged_count,
    ) == (1, 1, 1, 1)
    entry_ban.refresh_from_db()
    assert entry_ban.version == upload.version == 2
    removed = WatchlistEntry.objects.get(external_id="c")
    assert removed.status == EntryStatus.RETIRED
    assert removed.version == 2
    assert WatchlistEntry.objects.get(external_id="a").version == 1  # untouched
    done = AuditEntry.objects.filter(action="screening.import_done").last()
    assert done.data["removed"] == 1
    assert done.data["version"] == 2


def test_the_same_file_twice_changes_nothing(admin_user, entry_ban):
    import_bytes(admin_user, entry_ban, FIRST)
    before = list(WatchlistEntry.objects.values_list("pk", "fingerprint", "version", "updated_at"))
    again = import_bytes(admin_user, entry_ban, FIRST)
    assert (again.added_count, again.changed_count, again.removed_count) == (0, 0, 0)
    assert again.unchanged_count == 3
    entry_ban.refresh_from_db()
    assert entry_ban.version == 1 == again.version
    after = list(WatchlistEntry.objects.values_list("pk", "fingerprint", "version", "updated_at"))
    assert before == after


def test_names_birth_dates_and_numbers_are_not_in_the_database_in_clear(admin_user, entry_ban):
    from django.db import connection

    import_bytes(admin_user, entry_ban, FIRST)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM screening_watchlistentry")
        raw = json.dumps(cursor.fetchall(), default=str)
    for secret in ("Kurowi", "Sabadane", "kurowi", "1961-01-01", "A1234567"):
        assert secret not in raw
    entry = WatchlistEntry.objects.get(external_id="a")
    assert json.loads(entry.names) == ["Kurowi Sabadane", "K. Sabadane"]
    assert len(entry.document_tokens) == 1
    assert entry.name_tokens


def test_it_reads_opensanctions_and_followthemoney_files(admin_user, entry_ban):
    header = (
        "id,schema,name,aliases,birth_date,countries,addresses,identifiers,sanctions,"
        "phones,emails,dataset,first_seen,last_seen,last_change\n"
    )
    row = "os-1,Person,Kurowi Sabadane,K. Sabadane,1961,my,,P999,UN,,,un_sc,,,\n"
    upload = import_bytes(admin_user, entry_ban, (header + row).encode())
    assert upload.file_format == "opensanctions"
    assert upload.added_count == 1
    ftm = json.dumps({"id": "ftm-1", "schema": "Person", "properties": {"name": ["Zefaro Nilowe"]}})
    upload = import_bytes(admin_user, entry_ban, (ftm + "\n").encode())
    assert upload.file_format == "ftm"
    # a different file of the same list: the OpenSanctions entry is removed
    assert (upload.added_count, upload.removed_count) == (1, 1)


def test_a_file_in_another_encoding_is_refused_with_the_line(admin_user, entry_ban):
    raw = simi_csv("a,Kurowi Sabadane,,,,,entry_ban,x").replace(
        b"Kurowi", "Kurówi".encode("latin-1")
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=raw)
    assert caught.value.code == "file_encoding"
    with translation.override("en"):
        assert "line 2" in str(caught.value.fields["file"][0])
    assert not WatchlistImport.objects.exists()


def test_a_huge_file_or_an_unknown_layout_is_refused(admin_user, entry_ban, settings):
    settings.SIMI_SCREENING_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationFailed) as caught:
        watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=FIRST * 3)
    assert caught.value.code == "file_too_large"
    with pytest.raises(ValidationFailed) as caught:
        watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=b"x,y\n1,2\n")
    assert caught.value.code == "file_format"


def test_bad_rows_are_skipped_and_reported_by_line_and_code_only(admin_user, entry_ban):
    raw = simi_csv("a,Kurowi Sabadane,,1961-13-45x,,,entry_ban,x", ",,,,,,entry_ban,x")
    upload = import_bytes(admin_user, entry_ban, raw)
    assert upload.added_count == 1
    assert {"line": 3, "code": "id_or_name_missing"} in upload.problems
    assert {"line": 2, "code": "birth_date_ignored"} in upload.problems
    assert "1961" not in json.dumps(upload.problems)


def test_only_one_file_per_list_runs_at_a_time_and_a_run_is_not_repeated(admin_user, entry_ban):
    upload = watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=FIRST, enqueue=False)
    with pytest.raises(Conflict):
        watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=SECOND, enqueue=False)
    watchlist_import_run(upload)
    watchlist_import_run(upload)  # a second worker run changes nothing
    upload.refresh_from_db()
    assert upload.added_count == 3
    assert WatchlistEntry.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_an_upload_and_the_page_shows_its_progress(
    admin_user, entry_ban, client_for, run_jobs
):
    client = client_for(admin_user)
    response = client.post(
        f"/kantor/penyaringan/daftar/{entry_ban.code}/impor/", {"file": _upload(FIRST)}
    )
    assert response.status_code == 302
    upload = WatchlistImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 1s"' in page  # waiting: the block polls itself
    assert "/static/simi/js/htmx.min.js" in page  # with the script that polls
    run_jobs()
    block = client.get(f"/kantor/penyaringan/impor/{upload.public_id}/progres/").content.decode()
    assert "hx-trigger" not in block
    assert "3" in block


def _upload(raw: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("list.csv", raw, content_type="text/csv")


def test_an_import_whose_worker_died_does_not_block_the_list_for_ever(admin_user, entry_ban):
    from datetime import timedelta

    from django.utils import timezone

    stuck = watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=FIRST, enqueue=False)
    WatchlistImport.objects.filter(pk=stuck.pk).update(
        status=WatchlistImport.Status.RUNNING, created_at=timezone.now() - timedelta(hours=7)
    )
    upload = import_bytes(admin_user, entry_ban, FIRST)
    assert upload.status == WatchlistImport.Status.DONE
    stuck.refresh_from_db()
    assert stuck.status == WatchlistImport.Status.FAILED
    assert stuck.content is None
