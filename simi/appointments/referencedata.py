"""The starting schedule of the two offices serving Lampung Barat.

Loaded by a data migration and edited by administrators afterwards. The
figures are a reasonable start for a small office (synthetic, not taken from
a decree): sessions 08:00-12:00 and 13:00-15:00 Monday to Friday, quotas per
session and kind of service, and a daily priority walk-in quota.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

SOURCE = "Starting schedule for the demo (synthetic); the office adjusts it in the admin."
VALID_FROM = date(2025, 1, 1)
WEEKDAYS = range(0, 5)  # Monday to Friday

SESSIONS = [
    # code, Indonesian, English, order, starts, ends
    ("pagi", "Sesi pagi", "Morning session", 10, time(8, 0), time(12, 0)),
    ("siang", "Sesi siang", "Afternoon session", 20, time(13, 0), time(15, 0)),
]

_STAY_KINDS = [
    "visit-stay-extension",
    "limited-stay",
    "limited-stay-extension",
    "permanent-stay",
    "re-entry",
]

# office code -> {(session code, kind): places}
QUOTAS: dict[str, dict[tuple[str, str], int]] = {
    "kanim-kotabumi": {
        ("pagi", "passport"): 40,
        ("siang", "passport"): 20,
        ("pagi", "travel-document"): 4,
        ("siang", "travel-document"): 2,
        **{("pagi", kind): 8 for kind in _STAY_KINDS},
        **{("siang", kind): 4 for kind in _STAY_KINDS},
    },
    "ulp-liwa": {
        ("pagi", "passport"): 20,
        ("siang", "passport"): 10,
        ("pagi", "travel-document"): 2,
        ("siang", "travel-document"): 1,
    },
}
PRIORITY_PLACES = {"kanim-kotabumi": 10, "ulp-liwa": 5}
WINDOW_DAYS = {"kanim-kotabumi": 30, "ulp-liwa": 30}


def load_schedule(models: dict[str, Any], office_model: Any) -> None:
    """Create the starting schedule where it is missing; never overwrites an
    administrator's changes. ``models`` maps class names to (historical)
    model classes, so the data migration can pass its own."""
    session_model = models["Session"]
    for office_code, quotas in QUOTAS.items():
        office = office_model.objects.filter(code=office_code).first()
        if office is None:
            continue
        models["BookingSettings"].objects.get_or_create(
            office=office, defaults={"window_days": WINDOW_DAYS[office_code]}
        )
        sessions = {}
        for code, name_id, name_en, order, starts, ends in SESSIONS:
            session, created = session_model.objects.get_or_create(
                office=office,
                code=code,
                defaults={"name_id": name_id, "name_en": name_en, "display_order": order},
            )
            sessions[code] = session
            if created:
                for weekday in WEEKDAYS:
                    models["SessionHours"].objects.create(
                        session=session, weekday=weekday, starts_at=starts, ends_at=ends
                    )
        for (session_code, kind), places in quotas.items():
            models["Quota"].objects.get_or_create(
                session=sessions[session_code],
                kind=kind,
                valid_from=VALID_FROM,
                defaults={"places": places, "note": SOURCE},
            )
        models["PriorityQuota"].objects.get_or_create(
            office=office,
            valid_from=VALID_FROM,
            defaults={"places": PRIORITY_PLACES[office_code], "note": SOURCE},
        )


def current_models() -> dict[str, Any]:
    from simi.appointments import models

    return {
        name: getattr(models, name)
        for name in ("BookingSettings", "Session", "SessionHours", "Quota", "PriorityQuota")
    }
