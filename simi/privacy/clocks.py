"""The legal clocks of UU 27/2022 (PDP), each with the article it comes from."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LegalClock:
    """A deadline counted in hours from the moment a duty starts."""

    hours: int
    legal_basis: str

    @property
    def delta(self) -> timedelta:
        return timedelta(hours=self.hours)

    def due(self, start: datetime) -> datetime:
        return start + self.delta


PDP_RESPONSE_HOURS = LegalClock(
    hours=3 * 24,
    legal_basis=(
        "UU 27/2022 Pasal 32 ayat (2) (akses), Pasal 30 (perbaikan), Pasal 40 (penarikan "
        "persetujuan), Pasal 41 (penundaan/pembatasan): paling lambat 3 x 24 jam sejak "
        "permintaan diterima"
    ),
)

PDP_BREACH_NOTICE_HOURS = LegalClock(
    hours=3 * 24,
    legal_basis=(
        "UU 27/2022 Pasal 46 ayat (1): pemberitahuan tertulis paling lambat 3 x 24 jam "
        "kepada Subjek Data Pribadi dan lembaga; ayat (2): data yang terungkap, kapan dan "
        "bagaimana, upaya penanganan dan pemulihan"
    ),
)


def hours_left(due_at: datetime, now: datetime) -> int:
    """Whole hours until ``due_at``; negative once it has passed (rounded towards overdue)."""
    seconds = (due_at - now).total_seconds()
    return int(seconds // 3600)


def hours_overdue(due_at: datetime, now: datetime) -> int:
    """Started hours since ``due_at`` passed; 0 while it has not."""
    seconds = (now - due_at).total_seconds()
    return max(0, math.ceil(seconds / 3600))
