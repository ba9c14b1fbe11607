from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def simi(request: HttpRequest) -> dict[str, Any]:
    return {
        "SIMI_ENV": settings.SIMI_ENV,
        "SIMI_SHOW_DEMO_BANNER": not settings.PRODUCTION,
        "SIMI_SUPPORT_CONTACT": settings.SIMI_SUPPORT_CONTACT,
        "request_id": getattr(request, "request_id", ""),
    }
