"""API schemas of screening: watchlists, imports, screening one person,
review items and the switch."""

import uuid
from datetime import date, datetime

from ninja import Field, Schema


class ScreenIn(Schema):
    """One person to screen against the live watchlists. Nothing of it is stored."""

    name: str = Field(..., min_length=1, max_length=200)
    birth_date: date | None = None
    nationality: str | None = Field(
        None, max_length=3, description="ISO 3166 alpha-2 (ID) or ICAO alpha-3 (IDN)."
    )
    document_number: str | None = Field(None, max_length=40)
    purpose: str = Field(
        ..., max_length=2000, description="Why you screen this person (at least 10 characters)."
    )
    threshold: float = Field(0.7, ge=0.6, le=1.0, description="Lowest score returned.")


class FactorOut(Schema):
    factor: str = Field(..., description="name, birth date, nationality or document.")
    contribution: float
    code: str = Field(..., description="e.g. similarity+spelling_variant, exact, lost_stolen.")


class CandidateOut(Schema):
    """A watchlist entry that may be this person: a lead, not a decision."""

    entry: uuid.UUID
    watchlist: str
    list_kind: str
    external_id: str
    names: list[str]
    score: float
    explanation: str
    factors: list[FactorOut]


class ScreenOut(Schema):
    candidates: list[CandidateOut]


class WatchlistOut(Schema):
    code: str
    name: str
    kind: str
    owner_office: str | None
    owner_agency: str
    legal_basis: str
    is_active: bool
    version: int
    live_entries: int
    draft_entries: int


class ImportOut(Schema):
    """Progress and outcome of a watchlist file."""

    id: uuid.UUID
    watchlist: str
    format: str
    status: str = Field(..., description="queued, running, done or failed.")
    percent: int
    rows_total: int
    rows_read: int
    added: int
    changed: int
    removed: int
    unchanged: int
    problems: list[dict[str, int | str]] = Field(..., description="line and code, no data.")
    version: int | None
    created_at: datetime
    finished_at: datetime | None


class ImpactOut(Schema):
    entries: int = Field(..., description="Draft entries estimated now.")
    people: int = Field(..., description="People in SIMI screened against them.")
    hits: int = Field(..., description="Hits at the review threshold, all entries together.")


class PublishOut(Schema):
    published: int


class HitOut(Schema):
    entry: uuid.UUID
    watchlist: str
    list_kind: str
    score: float
    factors: list[FactorOut]


class ReviewItemOut(Schema):
    """A screening hit waiting for (or given) a human decision."""

    id: uuid.UUID
    source: str = Field(..., description="watchlist (later also risk_model).")
    subject_type: str
    subject_id: uuid.UUID
    office: str
    status: str = Field(..., description="open, escalated, confirmed or dismissed.")
    top_score: float
    hits: list[HitOut]
    risk_score: float | None
    created_at: datetime
    decided_at: datetime | None


class ReviewDecisionIn(Schema):
    decision: str = Field(..., description="confirm, dismiss or escalate.")
    reason: str = Field(..., max_length=2000, description="Required, at least 10 characters.")


class ControlOut(Schema):
    automatic_enabled: bool
    review_threshold: float
    changed_at: datetime | None
    reason: str
    skipped_while_off: int


class ControlIn(Schema):
    automatic_enabled: bool
    reason: str = Field(..., max_length=500)
    review_threshold: float | None = Field(None, ge=0.6, le=1.0)
