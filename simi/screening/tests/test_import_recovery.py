"""Watchlist imports survive their worker: a run whose worker stopped is
failed by the reaper with ``worker_stopped`` and its file erased, and the next
upload of the list completes the version the stopped run had begun."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.oversight.tests.worker_process import kill_when, worker_process
from simi.screening.imports import BATCH, watchlist_import_start, watchlist_imports_reap
from simi.screening.models import EntryStatus, WatchlistEntry, WatchlistImport
from simi.screening.tasks import reap_watchlist_imports

from .conftest import simi_csv

SMALL = simi_csv(
    "a,Kurowi Sabadane,,1961-01-01,MY,,entry_ban,synthetic",
    "b,Melanu Tigaro,,1970,ID,,entry_ban,synthetic",
)


def entries(count: int) -> bytes:
    return simi_csv(
        *(f"e{n},Sintetis Kurowi{n},,1970-01-01,MY,,entry_ban,synthetic" for n in range(count))
    )


def upload_page(client, watchlist, raw: bytes):
    return client.post(
        f"/kantor/penyaringan/daftar/{watchlist.code}/impor/",
        {"file": SimpleUploadedFile("list.csv", raw, content_type="text/csv")},
    )


@pytest.mark.django_db(transaction=True)
def test_the_reaper_task_fails_an_import_whose_worker_stopped_and_erases_its_file(
    admin_user, entry_ban, client_for, run_jobs
):
    # given an import a worker took 20 minutes ago and has not touched since
    upload = watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=SMALL, enqueue=False)
    long_ago = timezone.now() - timedelta(minutes=20)
    WatchlistImport.objects.filter(pk=upload.pk).update(
        status=WatchlistImport.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    # when the reaper task runs in the worker
    reap_watchlist_imports.enqueue()
    run_jobs()
    # then the import failed as stopped, and its file is erased
    upload.refresh_from_db()
    assert upload.status == WatchlistImport.Status.FAILED
    assert upload.problems == [{"line": 0, "code": "worker_stopped"}]
    assert upload.content is None
    assert upload.finished_at is not None
    failed = AuditEntry.objects.get(action="screening.import_failed")
    assert failed.data == {"watchlist": entry_ban.code, "problems": 1, "reason": "worker_stopped"}
    # and the uploader reads why on the progress block, which stops polling
    client = client_for(admin_user)
    block = client.get(f"/kantor/penyaringan/impor/{upload.public_id}/progres/").content.decode()
    assert "proses yang membaca berkas ini berhenti" in block
    assert "worker_stopped" not in block
    assert "hx-trigger" not in block
    # and the list takes the next file
    assert upload_page(client, entry_ban, SMALL).status_code == 302
    run_jobs()
    assert WatchlistImport.objects.latest("id").status == WatchlistImport.Status.DONE


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("id", "Impor terhenti karena proses yang membaca berkas ini berhenti."),
        ("en", "The import stopped because the worker reading the file stopped."),
    ],
)
def test_the_import_page_says_in_words_that_the_worker_stopped(
    db, admin_user, entry_ban, client_for, language, words
):
    # given an import whose worker went silent, failed by the reaper
    upload = watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=SMALL, enqueue=False)
    long_ago = timezone.now() - timedelta(minutes=20)
    WatchlistImport.objects.filter(pk=upload.pk).update(
        status=WatchlistImport.Status.RUNNING, started_at=long_ago, heartbeat_at=long_ago
    )
    assert watchlist_imports_reap() == [str(upload.public_id)]
    # when the administrator opens the import's page in their language
    client = client_for(admin_user)
    client.cookies["django_language"] = language
    page = client.get(f"/kantor/penyaringan/impor/{upload.public_id}/")
    # then the problem is said in words, not as the code the API gives
    assert page.status_code == 200
    text = page.content.decode()
    assert words in text
    assert "worker_stopped" not in text


def test_it_leaves_alone_an_import_that_still_shows_signs_of_work(db, admin_user, entry_ban):
    # given an import running for two hours whose last batch was written a minute ago
    upload = watchlist_import_start(actor=admin_user, watchlist=entry_ban, raw=SMALL, enqueue=False)
    WatchlistImport.objects.filter(pk=upload.pk).update(
        status=WatchlistImport.Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=2),
        heartbeat_at=timezone.now() - timedelta(minutes=1),
    )
    # when the reaper runs, also as a new file for the list arrives
    assert watchlist_imports_reap() == []
    # then it is not touched
    upload.refresh_from_db()
    assert upload.status == WatchlistImport.Status.RUNNING
    assert upload.content is not None


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_half_way_leaves_drafts_the_next_upload_puts_in_its_version(
    admin_user, entry_ban, client_for, run_jobs, settings
):
    # given a file of 5,000 entries uploaded on the page and queued
    client = client_for(admin_user)
    assert upload_page(client, entry_ban, entries(5_000)).status_code == 302
    upload = WatchlistImport.objects.get()

    # when a real worker has written two batches and is killed (SIGKILL)
    def two_batches() -> bool:
        return WatchlistImport.objects.filter(
            pk=upload.pk, status=WatchlistImport.Status.RUNNING, rows_read__gte=2 * BATCH
        ).exists()

    with worker_process() as worker:
        kill_when(worker, two_batches)
    written = WatchlistEntry.objects.filter(watchlist=entry_ban).count()
    assert 2 * BATCH <= written < 5_000  # committed batches stay, as drafts
    # and the reaper runs once its lease (1 second here) has run out
    settings.SIMI_IMPORT_LEASE_SECONDS = 1
    upload.refresh_from_db()
    while timezone.now() - upload.heartbeat_at <= timedelta(seconds=1):
        time.sleep(0.05)
    reap_watchlist_imports.enqueue()
    run_jobs()

    # then the import failed, its file erased, and the list's version has not moved
    upload.refresh_from_db()
    assert upload.status == WatchlistImport.Status.FAILED
    assert upload.content is None
    entry_ban.refresh_from_db()
    assert entry_ban.version == 0
    assert set(WatchlistEntry.objects.values_list("status", flat=True)) == {EntryStatus.DRAFT}

    # when the file is uploaded again
    assert upload_page(client, entry_ban, entries(5_000)).status_code == 302
    run_jobs()
    # then version 1 holds every entry once, the stopped run's ones counted as changed
    again = WatchlistImport.objects.latest("id")
    assert again.status == WatchlistImport.Status.DONE
    assert (again.added_count, again.changed_count, again.unchanged_count) == (
        5_000 - written,
        written,
        0,
    )
    entry_ban.refresh_from_db()
    assert entry_ban.version == again.version == 1
    assert WatchlistEntry.objects.filter(watchlist=entry_ban).count() == 5_000
    assert set(WatchlistEntry.objects.values_list("version", flat=True)) == {1}
