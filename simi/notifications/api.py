"""The /api/v1 operations of notifications."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["notifications"])
