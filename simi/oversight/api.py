"""The /api/v1 operations of oversight."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["oversight"])
