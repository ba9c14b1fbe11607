"""The printable collection receipt: what was issued, to whom (initials), and
the QR seal that anyone can check at /verifikasi."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from simi.applications.models import Application
from simi.catalog.languages import localized
from simi.issuance.printing import document_pdf


def receipt_pdf_bytes(app: Application, *, verify_url: str) -> bytes:
    document = app.issued_document
    if document is None:
        raise ValueError("nothing issued")
    rows = [
        (_("Tracking code"), app.tracking_code_display),
        (_("Service"), localized(app.service_type, "name")),
        (_("Office"), app.office.name),
        (_("Document"), str(document.get_kind_display())),
        (_("Holder's initials"), document.holder_initials or "-"),
        (_("Valid from"), formats.date_format(document.valid_from, "DATE_FORMAT")),
        (_("Valid until"), formats.date_format(document.valid_until, "DATE_FORMAT")),
        (
            _("Issued"),
            formats.date_format(document.issued_at, "DATETIME_FORMAT"),
        ),
    ]
    return document_pdf(
        document,
        title=_("SIMI Lampung Barat: collection receipt"),
        rows=rows,
        verify_url=verify_url,
        footer=_(
            "Scan the QR code or paste its text at the address below to check this "
            "document. The seal says whether it is valid, revoked or expired."
        ),
    )
