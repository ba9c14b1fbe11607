"""Reads of data-subject requests and incidents, scoped to the caller.

An applicant sees only their own requests (someone else's id answers 404,
like a missing one); handlers (``privacy:handle``) see every request, most
urgent first.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from simi.accounts.actors import Actor
from simi.core.errors import NotFound, PermissionDenied
from simi.privacy.models import DataSubjectRequest, Incident, RetentionRule
from simi.privacy.services import can_handle


def dsr_list_own(*, actor: Actor) -> QuerySet[DataSubjectRequest]:
    if not actor.is_authenticated:
        raise PermissionDenied()
    return DataSubjectRequest.objects.filter(applicant=actor).order_by("-received_at", "-id")


def dsr_get_own(*, actor: Actor, public_id: uuid.UUID) -> DataSubjectRequest:
    found = dsr_list_own(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def dsr_queue(*, actor: Actor, status: str | None = None) -> QuerySet[DataSubjectRequest]:
    """Every request for the handlers, open ones first, then by deadline."""
    if not can_handle(actor):
        raise PermissionDenied()
    queryset = DataSubjectRequest.objects.select_related("applicant", "handled_by")
    if status == "open":
        queryset = queryset.filter(status__in=DataSubjectRequest.OPEN_STATUSES)
    elif status in DataSubjectRequest.Status.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("due_at", "id")


def dsr_get_for_handler(*, actor: Actor, public_id: uuid.UUID) -> DataSubjectRequest:
    found = dsr_queue(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def incident_list(*, actor: Actor, status: str | None = None) -> QuerySet[Incident]:
    if not can_handle(actor):
        raise PermissionDenied()
    queryset = Incident.objects.select_related("reported_by")
    if status in Incident.Status.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by("notify_deadline", "id")


def incident_get(*, actor: Actor, public_id: uuid.UUID) -> Incident:
    found = incident_list(actor=actor).filter(public_id=public_id).first()
    if found is None:
        raise NotFound()
    return found


def retention_rules_active() -> QuerySet[RetentionRule]:
    """The retention periods in force (public: the privacy notice states them)."""
    return RetentionRule.objects.filter(is_active=True).order_by("record_type")
