"""The /api/v1 operations of appointments."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["appointments"])
