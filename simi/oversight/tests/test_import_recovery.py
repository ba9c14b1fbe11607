"""Lodging CSV imports survive their worker: a run killed half-way is queued
again and imports the file exactly once; one that keeps dying is failed with
its reason and its file erased; a run still at work is left alone."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.oversight.lodging.imports import (
    PROGRESS_EVERY,
    lodging_import_run,
    lodging_import_start,
    lodging_imports_reap,
)
from simi.oversight.lodging.tasks import reap_lodging_imports
from simi.oversight.models import LodgingImport, LodgingReport

from .worker_process import kill_when, worker_process

HEADER = "full_name,nationality,passport_number,check_in,check_out\n"


def guests(count: int) -> bytes:
    """A file of ``count`` synthetic guests, all valid."""
    rows = (f"Tamu Sintetis {n},AUS,X{n:08d},2026-05-01 14:00,\n" for n in range(count))
    return (HEADER + "".join(rows)).encode()


def actions(upload: LodgingImport) -> list[str]:
    found = AuditEntry.objects.filter(
        object_id=str(upload.public_id), action__startswith="oversight.lodging"
    )
    return list(found.order_by("id").values_list("action", flat=True))


ROWS = 5_000


@pytest.mark.django_db(transaction=True)
def test_it_imports_a_file_exactly_once_after_its_worker_is_killed_mid_import(
    partner, client_for, place
):
    # given a partner's file of 5,000 guests, uploaded on the partner page and queued
    client = client_for(partner)
    upload_file = SimpleUploadedFile("tamu.csv", guests(ROWS), content_type="text/csv")
    response = client.post(reverse("oversight:upload", args=[place.code]), {"file": upload_file})
    assert response.status_code == 302
    upload = LodgingImport.objects.get()

    # when a real worker takes it and is killed (SIGKILL) while it imports: the rows are
    # checked and the all-or-nothing transaction is under way
    def importing() -> bool:
        return LodgingImport.objects.filter(
            pk=upload.pk, status=LodgingImport.Status.IMPORTING
        ).exists()

    with worker_process() as worker:
        kill_when(worker, importing)

    # then the killed run committed nothing and the import looks stuck, its file kept
    upload.refresh_from_db()
    assert upload.status == LodgingImport.Status.IMPORTING
    assert upload.attempts == 1
    assert upload.content is not None
    assert LodgingReport.objects.count() == 0

    # when its lease (1 second here) has run out and a new worker runs the reaper task
    while timezone.now() - upload.heartbeat_at <= timedelta(seconds=1):
        time.sleep(0.05)
    reap_lodging_imports.enqueue()

    def finished() -> bool:
        upload.refresh_from_db()
        return upload.is_finished

    with worker_process(SIMI_IMPORT_LEASE_SECONDS="1") as worker:
        kill_when(worker, finished)

    # then the file was queued again and imported exactly once, and erased
    upload.refresh_from_db()
    assert upload.status == LodgingImport.Status.DONE
    assert upload.attempts == 2
    assert upload.created_count == ROWS
    assert LodgingReport.objects.filter(lodging_import=upload).count() == ROWS
    assert LodgingReport.objects.count() == ROWS
    assert upload.content is None
    assert actions(upload) == [
        "oversight.lodging_import_received",
        "oversight.lodging_import_requeued",
        "oversight.lodging_import_done",
    ]
    requeued = AuditEntry.objects.get(action="oversight.lodging_import_requeued")
    assert requeued.data["reason"] == "worker_stopped"
    assert requeued.data["status"] == "importing"
    # and the partner's page shows the result
    page = client.get(reverse("oversight:import", args=[upload.public_id])).content.decode()
    assert "5000" in page.replace(".", "").replace(",", "")


@pytest.mark.django_db(transaction=True)
def test_it_fails_an_import_whose_worker_keeps_dying_and_erases_the_file(
    partner, client_for, place, run_jobs
):
    # given a file whose third run (the last one allowed) stopped without a sign for 20 minutes
    upload = lodging_import_start(actor=partner, place=place, raw=guests(3), enqueue=False)
    LodgingImport.objects.filter(pk=upload.pk).update(
        status=LodgingImport.Status.VALIDATING,
        attempts=3,
        heartbeat_at=timezone.now() - timedelta(minutes=20),
    )
    # when the reaper task runs in the worker
    reap_lodging_imports.enqueue()
    run_jobs()
    # then the import has failed, nothing was imported and the file is gone
    upload.refresh_from_db()
    assert upload.status == LodgingImport.Status.FAILED
    assert upload.failure == "worker_stopped"
    assert upload.content is None
    assert upload.finished_at is not None
    assert LodgingReport.objects.count() == 0
    failed = AuditEntry.objects.get(action="oversight.lodging_import_failed")
    assert failed.data == {
        "place": place.code,
        "status": "validating",
        "attempts": 3,
        "silent_seconds": failed.data["silent_seconds"],
        "reason": "worker_stopped",
    }
    assert failed.data["silent_seconds"] >= 20 * 60
    # and the partner is told why, in their language, on the page and in the API
    client = client_for(partner)
    page = client.get(
        reverse("oversight:import", args=[upload.public_id]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "the worker checking the file stopped" in page
    assert 'hx-trigger="every 1s"' not in page  # finished: the block stops polling
    body = client.get(
        f"/api/v1/lodging/imports/{upload.public_id}", HTTP_ACCEPT_LANGUAGE="id"
    ).json()
    assert body["status"] == "failed"
    assert body["failure_code"] == "worker_stopped"
    assert "unggah" in body["failure_message"].lower()


def test_it_leaves_alone_a_long_import_that_still_shows_signs_of_work(db, partner, place):
    # given an import being checked, whose run wrote a heartbeat a minute ago
    upload = lodging_import_start(actor=partner, place=place, raw=guests(3), enqueue=False)
    LodgingImport.objects.filter(pk=upload.pk).update(
        status=LodgingImport.Status.VALIDATING,
        attempts=1,
        started_at=timezone.now() - timedelta(hours=2),
        heartbeat_at=timezone.now() - timedelta(minutes=1),
    )
    # when the reaper runs
    result = lodging_imports_reap()
    # then it is not touched
    assert result.requeued == result.failed == []
    upload.refresh_from_db()
    assert upload.status == LodgingImport.Status.VALIDATING
    assert upload.content is not None


def test_a_run_the_reaper_took_back_stops_and_the_file_is_imported_once(db, partner, place):
    # given an import whose run is taken back by the reaper while it checks rows
    # (the run looks dead: an hour from now, its heartbeat is past the lease)
    upload = lodging_import_start(
        actor=partner, place=place, raw=guests(PROGRESS_EVERY + 50), enqueue=False
    )
    reaped = []

    def progress(done: int, total: int) -> None:
        if not reaped:
            reaped.append(lodging_imports_reap(now=timezone.now() + timedelta(hours=1)))

    # when that run goes on
    stopped = lodging_import_run(upload, progress=progress)
    # then it stopped at its next heartbeat and wrote nothing; the file waits again
    assert reaped[0].requeued == [str(upload.public_id)]
    assert stopped.status == LodgingImport.Status.QUEUED
    assert stopped.content is not None
    assert LodgingReport.objects.count() == 0
    # and the next run imports it, once
    done = lodging_import_run(stopped)
    assert done.status == LodgingImport.Status.DONE
    assert done.attempts == 2
    assert LodgingReport.objects.count() == PROGRESS_EVERY + 50
    assert lodging_import_run(done).status == LodgingImport.Status.DONE  # a repeat changes nothing
    assert LodgingReport.objects.count() == PROGRESS_EVERY + 50
