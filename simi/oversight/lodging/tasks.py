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
