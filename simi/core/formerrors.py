"""Show a service's ``SimiError`` on a Django form, field by field."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, QueryDict
from django.utils.datastructures import MultiValueDict

from simi.core.errors import SimiError


def add_service_error(form: forms.Form, exc: SimiError) -> None:
    if not exc.fields:
        form.add_error(None, str(exc.message))
        return
    for field, messages in exc.fields.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


def posted(request: HttpRequest) -> QueryDict | None:
    """A form's data: the POST when the request is one, even an empty one.

    ``Form(request.POST or None)`` leaves a form sent with nothing filled in
    unbound: it is not valid, yet it has no errors, so the page answered 422
    with nothing to correct and no error summary."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict[str, UploadedFile] | None:
    """The uploaded files of a POST (an empty one too); see ``posted``."""
    return request.FILES if request.method == "POST" else None
