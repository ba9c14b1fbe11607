"""Schemas of identity claims: the applicant's, and the office's."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from simi.accounts.schemas import IdentityOut

NumberKind = Literal["nik", "passport"]
ClaimStatus = Literal["recorded", "pending", "confirmed", "rejected", "withdrawn"]


class IdentityClaimOut(Schema):
    """A number of yours waiting for a check at an office: bring the document
    (e-KTP or passport) to the office named; until then you cannot apply online."""

    id: uuid.UUID
    number: NumberKind
    number_last4: str
    status: ClaimStatus
    office: str | None = Field(..., description="Code of the office you chose; null: choose one.")
    created_at: datetime


class MyIdentityOut(Schema):
    """Your identity record (null until you can apply with it) and the numbers
    of yours waiting for a check."""

    identity: IdentityOut | None
    claims: list[IdentityClaimOut]


class IdentityClaimOfficeIn(Schema):
    """The office where you will bring your documents (a code from GET /offices)."""

    office: str = Field(..., max_length=40)


class IdentityClaimStaffOut(Schema):
    """A claim in the office's queue."""

    id: uuid.UUID
    number: NumberKind
    number_last4: str
    status: ClaimStatus
    office: str | None
    created_at: datetime
    decided_at: datetime | None


class ClaimantOut(Schema):
    """What the claimant entered, to compare with the documents they bring."""

    email: str
    full_name: str
    kind: str
    nationality: str
    birth_date: date | None
    number: str = Field(..., description="The number claimed, in full.")


class HolderOut(Schema):
    """The record that held the number when it was claimed."""

    full_name: str
    has_account: bool
    recorded_at: datetime


class IdentityClaimDetailOut(IdentityClaimStaffOut):
    """One claim with the claimant's data (opening it is audited)."""

    claimant: ClaimantOut | None
    holder: HolderOut | None


class IdentityClaimDecisionIn(Schema):
    """Which documents you saw (kept encrypted with the decision)."""

    note: str = Field(..., min_length=1, max_length=500)
