"""The /api/v1 operations of payments."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["payments"])
