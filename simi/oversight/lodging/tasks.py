"""Background jobs of lodging: thin, idempotent, ids only.

The import job itself, ``run_lodging_import``, lives in ``imports`` with the
code that queues it; it is named here too, so jobs queued under this path
still run.
"""

from __future__ import annotations

from django_tasks import task

from simi.oversight.lodging.imports import lodging_imports_reap, run_lodging_import

__all__ = ["reap_lodging_imports", "run_lodging_import"]


@task()
def reap_lodging_imports() -> dict[str, int]:
    """Periodic (every 5 minutes): imports whose worker stopped are queued
    again, or failed with their file erased after the last attempt. Safe to repeat."""
    result = lodging_imports_reap()
    return {"requeued": len(result.requeued), "failed": len(result.failed)}
