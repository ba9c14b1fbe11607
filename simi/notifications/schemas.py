"""Request and response shapes of the notifications API."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    """One message SIMI sent you (or is about to), whatever the channels."""

    id: uuid.UUID
    event: str
    title: str
    link: str | None
    created_at: datetime
