"""What the applicant still has to do, as a task list (GOV.UK's "complete
multiple tasks" pattern): your identity, the application's details, the
documents, the visit to the office, then check your answers and declare.

``application_tasks`` is the one place that says so: the draft's page, the
API's ``GET .../tasks`` and the submission's refusal read the same
``missing_items`` (``requirements.py``), so none of them can tell the
applicant something the others do not. Each task is ``completed``,
``incomplete``, ``cannot_start`` (it waits for another task) or
``not_needed`` (this service does not ask for it).

The visit is booked after submission (``appointments`` is a domain above
this one): whether the application has one is asked through the hook
``applications.visit_booked`` (``settings.SIMI_HOOKS``), never by import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.applications.guardians import application_documents
from simi.applications.models import Application, Status
from simi.applications.requirements import MissingItem, missing_items, required_details
from simi.core.hooks import run_hook

TaskCode = Literal["identity", "details", "documents", "visit", "declaration"]
TaskStatus = Literal["completed", "incomplete", "cannot_start", "not_needed"]

STATUS_LABELS: dict[str, Promise] = {
    "completed": _("Completed"),
    "incomplete": _("Incomplete"),
    "cannot_start": _("Cannot start yet"),
    "not_needed": _("Not needed"),
}

TASK_LABELS: dict[str, Promise] = {
    "identity": _("Your identity"),
    "details": _("Application details"),
    "documents": _("Documents"),
    "visit": _("Visit to the office (booking)"),
    "declaration": _("Check your answers and declaration"),
}

# While an application is in these states its visit can still be booked
# (appointments refuses the others with application_not_open).
VISIT_OPEN = frozenset(
    {
        Status.REGISTERED,
        Status.VERIFYING,
        Status.MORE_DOCUMENTS_REQUESTED,
        Status.INTERVIEW,
        Status.AWAITING_PAYMENT,
        Status.PAID,
        Status.APPROVED,
        Status.ISSUED,
    }
)


@dataclass(frozen=True)
class Task:
    code: TaskCode
    status: TaskStatus
    href: str  # where the task is done; "" when it cannot start or is not needed
    hint: Promise | str = ""

    @property
    def label(self) -> str:
        return str(TASK_LABELS[self.code])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class TaskList:
    tasks: list[Task]
    missing: list[MissingItem]  # what the submission's refusal would list

    @property
    def ready_to_submit(self) -> bool:
        return not self.missing

    @property
    def completed_count(self) -> int:
        return sum(task.status in ("completed", "not_needed") for task in self.tasks)


def has_visit(application: Application) -> bool:
    """A visit booked, checked in or done (``applications.visit_booked``)."""
    return any(run_hook("applications.visit_booked", application=application))


def application_tasks(application: Application) -> TaskList:
    """The applicant's tasks for ``application``, in the order she does them.
    Labels follow the language active now; links are this site's pages."""
    app = application
    page = reverse("applications:detail", args=[app.public_id])
    draft = app.is_draft
    missing = missing_items(app) if draft else []
    lacking = {item.kind for item in missing}

    identity: TaskStatus = "completed" if app.person_id is not None else "incomplete"
    tasks = [Task("identity", identity, reverse("accounts:identity") if draft else "")]

    if not required_details(app.service_type):
        tasks.append(Task("details", "not_needed", ""))
    else:
        details: TaskStatus = "incomplete" if "field" in lacking else "completed"
        tasks.append(Task("details", details, page + "#details-title" if draft else ""))

    if not application_documents(app):
        tasks.append(Task("documents", "not_needed", ""))
    else:
        documents: TaskStatus = "incomplete" if "document" in lacking else "completed"
        tasks.append(Task("documents", documents, page + "#documents" if draft else ""))

    # Every service one applies for is a visit to the office (interview and
    # biometrics); a surcharge is never applied for nor booked alone.
    if app.service_type.is_addon:
        tasks.append(Task("visit", "not_needed", ""))
    elif draft:
        tasks.append(Task("visit", "cannot_start", "", _("You book it after you submit.")))
    elif has_visit(app):
        tasks.append(Task("visit", "completed", reverse("appointments:book", args=[app.public_id])))
    elif app.status in VISIT_OPEN:
        tasks.append(
            Task("visit", "incomplete", reverse("appointments:book", args=[app.public_id]))
        )
    else:
        tasks.append(Task("visit", "not_needed", ""))

    if not draft:
        declaration: TaskStatus = "completed" if app.submitted_at is not None else "not_needed"
        tasks.append(Task("declaration", declaration, ""))
    elif missing:
        tasks.append(Task("declaration", "cannot_start", "", _("Complete the tasks above first.")))
    else:
        check = reverse("applications:check", args=[app.public_id])
        tasks.append(Task("declaration", "incomplete", check))
    return TaskList(tasks=tasks, missing=missing)
