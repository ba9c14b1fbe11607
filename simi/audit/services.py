"""Writing the audit log. Call inside the service's transaction so the entry
and the change it records commit (or roll back) together."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.core.logs import request_id_var


def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
    purpose: str = "",
) -> AuditEntry:
    """Append one entry. ``data`` holds ids and codes, never personal data in clear."""
    actor_obj = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    target_id = ""
    if target is not None:
        target_id = str(getattr(target, "public_id", None) or target.pk)
    return AuditEntry.objects.create(
        occurred_at=timezone.now(),
        actor=actor_obj,
        actor_role=getattr(actor_obj, "role", "") or "",
        office_id=getattr(actor_obj, "office_id", None),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=target_id,
        purpose=purpose,
        data=data or {},
        request_id=request_id_var.get() if request_id_var.get() != "-" else "",
    )
