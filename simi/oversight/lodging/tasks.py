"""Background jobs of lodging: thin, idempotent, ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def run_lodging_import(import_id: str) -> str:
    """Check and import one uploaded CSV file (all rows or none)."""
    from simi.oversight.lodging.imports import lodging_import_run
    from simi.oversight.models import LodgingImport

    upload = LodgingImport.objects.filter(public_id=import_id).first()
    if upload is None:
        return "missing"
    return lodging_import_run(upload).status


@task()
def reap_lodging_imports() -> dict[str, int]:
    """Periodic (every 5 minutes): imports whose worker stopped are queued
    again, or failed with their file erased after the last attempt. Safe to repeat."""
    from simi.oversight.lodging.imports import lodging_imports_reap

    result = lodging_imports_reap()
    return {"requeued": len(result.requeued), "failed": len(result.failed)}
