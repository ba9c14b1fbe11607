"""Background jobs of screening: thin, idempotent, ids only.

The jobs that screening's own code queues live beside that code
(``flows.screen_subject_job``, ``imports.run_watchlist_import``); they are
named here too, so jobs queued under these paths still run.
"""

from __future__ import annotations

from django_tasks import task

from simi.screening.flows import screen_subject_job as screen_subject
from simi.screening.imports import run_watchlist_import, watchlist_imports_reap

__all__ = ["reap_watchlist_imports", "run_watchlist_import", "screen_subject"]


@task()
def reap_watchlist_imports() -> dict[str, int]:
    """Periodic (every 5 minutes): imports whose worker stopped are failed
    (``worker_stopped``) and their files erased. Safe to repeat."""
    return {"failed": len(watchlist_imports_reap())}
