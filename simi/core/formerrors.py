"""Show a service's ``SimiError`` on a Django form, field by field."""

from __future__ import annotations

from django import forms

from simi.core.errors import SimiError


def add_service_error(form: forms.Form, exc: SimiError) -> None:
    if not exc.fields:
        form.add_error(None, str(exc.message))
        return
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))
