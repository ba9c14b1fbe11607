"""Background jobs of enforcement: thin and idempotent."""

from __future__ import annotations

from django_tasks import task


@task()
def open_cases_for_violations() -> dict[str, int]:
    """Periodic (hourly): every open violation not yet in a case opens or
    joins its foreigner's case. A second run finds nothing to do."""
    from simi.enforcement.services import cases_open_for_violations

    result = cases_open_for_violations()
    return {"cases_opened": len(result.opened), "violations_joined": len(result.joined)}
