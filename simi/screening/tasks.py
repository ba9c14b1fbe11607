"""Background jobs of screening: thin, idempotent, ids only."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def screen_subject(subject_type: str, subject_id: int) -> dict[str, Any]:
    """Screen one application, foreigner, permit, lodging report or upload.

    A repeat finds the open review item and opens no second one.
    """
    from simi.screening.flows import screen_subject as run

    outcome = run(subject_type=subject_type, subject_id=subject_id)
    return {
        "skipped": outcome.skipped,
        "screened": outcome.screened,
        "opened": outcome.items_opened,
        "dismissed_skipped": outcome.dismissed_pairs_skipped,
    }


@task()
def run_watchlist_import(import_id: str) -> str:
    """Compare one uploaded watchlist file with its list and apply it."""
    from simi.screening.imports import watchlist_import_run
    from simi.screening.models import WatchlistImport

    upload = WatchlistImport.objects.filter(public_id=import_id).first()
    if upload is None:
        return "missing"
    return watchlist_import_run(upload).status


@task()
def reap_watchlist_imports() -> dict[str, int]:
    """Periodic (every 5 minutes): imports whose worker stopped are failed
    (``worker_stopped``) and their files erased. Safe to repeat."""
    from simi.screening.imports import watchlist_imports_reap

    return {"failed": len(watchlist_imports_reap())}
