"""The kinds of documents the office issues: one vocabulary for the catalogue
(what a service issues) and the register of issued documents (what was issued).

It lives here, below both, because ``simi.catalog`` and ``simi.issuance`` are
peers that must not import each other, yet have to agree on every value: a
catalogue row names the kind, and the application workflow issues exactly that
kind. Which kinds carry an ICAO 9303 machine-readable zone, and in which
format, is for ``simi.issuance`` to say (``simi.issuance.services``).

The values are stored in both tables and sealed into every document's QR
code: never rename one; add a kind with a migration in both apps.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    """What an issued document is: passport, travel document (SPLP), visa, stay permit
    or receipt."""

    PASSPORT = "passport", _("Passport")
    # Surat Perjalanan Laksana Paspor: a travel document in lieu of a passport.
    TRAVEL_DOCUMENT = "travel_document", _("Travel document (SPLP)")
    VISA = "visa", _("Visa")
    STAY_PERMIT = "stay_permit", _("Stay permit")
    RECEIPT = "receipt", _("Receipt or decision letter")
