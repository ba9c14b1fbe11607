"""Every change to fees and service standards: with an effective date, never
overwriting history, administrators only, audited in the same transaction.

A change opens a new open-ended period and closes the current one the day
before it starts. Bills store their own amount when issued, so a change never
reaches an issued bill; ``fee_in_force`` for an earlier day keeps answering
the old amount.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.catalog.codes import Action
from simi.catalog.models import Fee, ServiceType, SlaRule
from simi.catalog.periods import day_before, plan_new_period
from simi.core.errors import PermissionDenied, ValidationFailed
from simi.core.money import MAX_RUPIAH

COMPONENT_PATTERN = re.compile(r"[a-z0-9-]{0,40}")
MAX_SLA_WORKING_DAYS = 365


def can_manage_catalog(actor: Actor) -> bool:
    """Administrators: the role that edits master data (``User.is_staff``)."""
    return actor.is_authenticated and actor.is_active and actor.is_staff


def _require_manager(actor: Actor) -> None:
    if not can_manage_catalog(actor):
        raise PermissionDenied()


def _check_common(
    *, legal_basis: str, valid_from: date | None, errors: dict[str, list[Any]]
) -> None:
    if not (legal_basis or "").strip():
        errors.setdefault("legal_basis", []).append(
            _("Name the regulation or document this value comes from.")
        )
    if not isinstance(valid_from, date):
        errors.setdefault("valid_from", []).append(_("Enter a date as YYYY-MM-DD."))


def _raise_if(errors: dict[str, list[Any]]) -> None:
    if errors:
        raise ValidationFailed(fields=errors)


def fee_change_check(
    *,
    actor: Actor,
    service_type: ServiceType,
    amount: int,
    valid_from: date,
    legal_basis: str,
    component: str = "",
    reason: str = "",
) -> Fee | None:
    """Validate a fee change without writing; returns the period it would close.

    The admin form calls this to show errors on its fields; the service calls
    it again under a lock.
    """
    _require_manager(actor)
    errors: dict[str, list[Any]] = {}
    if isinstance(amount, bool) or not isinstance(amount, int):
        errors["amount"] = [_("Enter an amount in whole rupiah.")]
    elif amount < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    elif amount > MAX_RUPIAH:
        errors["amount"] = [_("The amount is too large.")]
    if not COMPONENT_PATTERN.fullmatch(component or ""):
        errors["component"] = [_("Use lowercase letters, digits and hyphens, or leave empty.")]
    _check_common(legal_basis=legal_basis, valid_from=valid_from, errors=errors)
    _raise_if(errors)
    existing = Fee.objects.filter(service_type=service_type, component=component)
    return plan_new_period(
        existing.order_by("valid_from"),
        valid_from=valid_from,
        today=timezone.localdate(),
        reason=reason or "",
    )


@transaction.atomic
def fee_schedule_change(
    *,
    actor: Actor,
    service_type: ServiceType,
    amount: int,
    valid_from: date,
    legal_basis: str,
    source: str = "",
    component: str = "",
    note: str = "",
    label_id: str = "",
    label_en: str = "",
    is_confirmed: bool = True,
    reason: str = "",
    legal_basis_en: str = "",
) -> Fee:
    """Put a new fee in force from ``valid_from``; returns the new row.

    A ``valid_from`` in the past for a component that already has fees needs
    a ``reason`` (kept on the row, no personal data).
    """
    _require_manager(actor)
    # Changes of one service queue behind each other, so two admins cannot
    # both pass the overlap check (SQLite serializes writers anyway).
    ServiceType.objects.select_for_update(no_key=True).filter(pk=service_type.pk).first()
    to_close = fee_change_check(
        actor=actor,
        service_type=service_type,
        amount=amount,
        valid_from=valid_from,
        legal_basis=legal_basis,
        component=component,
        reason=reason,
    )
    closed: dict[str, Any] = {}
    if to_close is not None:
        to_close.valid_to = day_before(valid_from)
        to_close.save(update_fields=["valid_to", "updated_at"])
        closed = {"closed_fee_id": to_close.pk, "closed_valid_to": to_close.valid_to.isoformat()}
    fee = Fee.objects.create(
        service_type=service_type,
        component=component,
        label_id=label_id.strip(),
        label_en=label_en.strip(),
        amount=amount,
        valid_from=valid_from,
        legal_basis=legal_basis.strip(),
        legal_basis_en=legal_basis_en.strip(),
        source=source.strip(),
        note=note.strip(),
        is_confirmed=is_confirmed,
        change_reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=Action.FEE_SCHEDULED,
        target=fee,
        data={
            "service": service_type.code,
            "component": component,
            "amount": amount,
            "valid_from": valid_from.isoformat(),
            "retroactive": valid_from < timezone.localdate(),
            **closed,
        },
    )
    return fee


def sla_change_check(
    *,
    actor: Actor,
    service_type: ServiceType,
    working_days: int,
    valid_from: date,
    legal_basis: str,
    reason: str = "",
) -> SlaRule | None:
    _require_manager(actor)
    errors: dict[str, list[Any]] = {}
    if isinstance(working_days, bool) or not isinstance(working_days, int) or working_days < 0:
        errors["working_days"] = [_("Enter zero or more working days.")]
    elif working_days > MAX_SLA_WORKING_DAYS:
        errors["working_days"] = [_("At most %(n)d working days.") % {"n": MAX_SLA_WORKING_DAYS}]
    _check_common(legal_basis=legal_basis, valid_from=valid_from, errors=errors)
    _raise_if(errors)
    existing = SlaRule.objects.filter(service_type=service_type).order_by("valid_from")
    return plan_new_period(
        existing, valid_from=valid_from, today=timezone.localdate(), reason=reason or ""
    )


@transaction.atomic
def sla_change(
    *,
    actor: Actor,
    service_type: ServiceType,
    working_days: int,
    valid_from: date,
    legal_basis: str,
    source: str = "",
    note: str = "",
    is_confirmed: bool = True,
    reason: str = "",
) -> SlaRule:
    """Put a new service standard in force from ``valid_from``.

    Applications keep the due date computed when their file was complete.
    """
    _require_manager(actor)
    ServiceType.objects.select_for_update(no_key=True).filter(pk=service_type.pk).first()
    to_close = sla_change_check(
        actor=actor,
        service_type=service_type,
        working_days=working_days,
        valid_from=valid_from,
        legal_basis=legal_basis,
        reason=reason,
    )
    closed: dict[str, Any] = {}
    if to_close is not None:
        to_close.valid_to = day_before(valid_from)
        to_close.save(update_fields=["valid_to", "updated_at"])
        closed = {"closed_sla_id": to_close.pk, "closed_valid_to": to_close.valid_to.isoformat()}
    rule = SlaRule.objects.create(
        service_type=service_type,
        working_days=working_days,
        valid_from=valid_from,
        legal_basis=legal_basis.strip(),
        source=source.strip(),
        note=note.strip(),
        is_confirmed=is_confirmed,
        change_reason=reason.strip(),
    )
    audit_record(
        actor=actor,
        action=Action.SLA_SCHEDULED,
        target=rule,
        data={
            "service": service_type.code,
            "working_days": working_days,
            "valid_from": valid_from.isoformat(),
            "retroactive": valid_from < timezone.localdate(),
            **closed,
        },
    )
    return rule
