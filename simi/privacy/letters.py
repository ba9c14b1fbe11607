"""Breach notice letters (UU 27/2022 Pasal 46): to the data subjects and to the
PDP agency, in Bahasa Indonesia and English.

A notice must state the personal data exposed, when and how it was exposed,
and the handling and recovery (Pasal 46 ayat (2)). The wording is a legal
text per language, so each letter is its own template
(``privacy/letters/<audience>_<language>.html``) instead of a translation.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format

from simi.privacy.clocks import PDP_BREACH_NOTICE_HOURS
from simi.privacy.models import DataCategory, Incident

LETTER_AUDIENCES = ("subjects", "authority")
LETTER_LANGUAGES = ("id", "en")

CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "id": {
        DataCategory.HEALTH: "data dan informasi kesehatan",
        DataCategory.BIOMETRIC: "data biometrik",
        DataCategory.GENETIC: "data genetika",
        DataCategory.CRIMINAL_RECORD: "catatan kejahatan, termasuk daftar penangkalan",
        DataCategory.CHILDREN: "data anak",
        DataCategory.FINANCIAL: "data keuangan pribadi",
        DataCategory.IDENTITY_NUMBERS: "nomor identitas (NIK, nomor paspor)",
        DataCategory.CONTACT: "data kontak (alamat, telepon, surel)",
        DataCategory.IDENTITY: "nama, tanggal lahir dan data identitas lain",
        DataCategory.ACCOUNT: "data akun (log masuk, token API)",
    },
    "en": {
        DataCategory.HEALTH: "health data and information",
        DataCategory.BIOMETRIC: "biometric data",
        DataCategory.GENETIC: "genetic data",
        DataCategory.CRIMINAL_RECORD: "criminal records, including entry-ban listings",
        DataCategory.CHILDREN: "children's data",
        DataCategory.FINANCIAL: "personal financial data",
        DataCategory.IDENTITY_NUMBERS: "identity numbers (NIK, passport number)",
        DataCategory.CONTACT: "contact data (address, phone, e-mail)",
        DataCategory.IDENTITY: "names, birth dates and other identity data",
        DataCategory.ACCOUNT: "account data (sign-in, API tokens)",
    },
}


def _when(moment: datetime | None, language: str) -> str:
    if moment is None:
        return ""
    with translation.override(language):
        return date_format(timezone.localtime(moment), "j F Y, H:i") + " WIB"


def letter_context(incident: Incident, *, audience: str, language: str) -> dict[str, Any]:
    labels = CATEGORY_LABELS[language]
    return {
        "incident": incident,
        "audience": audience,
        "language": language,
        "letter_template": f"privacy/letters/{audience}_{language}.html",
        "categories": [labels.get(code, code) for code in incident.data_categories],
        "occurred": _when(incident.occurred_at, language),
        "discovered": _when(incident.discovered_at, language),
        "deadline": _when(incident.notify_deadline, language),
        "today": _when(timezone.now(), language),
        "hours": PDP_BREACH_NOTICE_HOURS.hours,
        "legal_basis": PDP_BREACH_NOTICE_HOURS.legal_basis,
        "contact": settings.SIMI_SUPPORT_CONTACT,
    }
