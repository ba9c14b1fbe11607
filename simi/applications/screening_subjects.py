"""Applications as screening subjects (``settings.SIMI_SCREENING_SUBJECTS``).

Screening sits below applications and never reads them itself: when
``application_submit`` asks for a screening, screening's job calls
``application.targets`` for the people to screen, and the review page calls
``application.display``. Both are read-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from simi.applications.models import Application
from simi.screening.subjects import Target, person_display, person_target


class ApplicationSubjects:
    """``"application"``: the applicant's person, at the application's office."""

    def targets(self, subject_id: int) -> Iterator[Target]:
        app = Application.objects.select_related("person", "office").filter(pk=subject_id).first()
        if app is not None and app.person is not None:
            yield person_target(
                subject_type="application",
                subject_id=app.public_id,
                person=app.person,
                office=app.office,
            )

    def display(self, public_id: uuid.UUID) -> dict[str, Any] | None:
        app = Application.objects.select_related("person").filter(public_id=public_id).first()
        if app is None or app.person is None:
            return None
        return person_display(app.person)


application = ApplicationSubjects()
