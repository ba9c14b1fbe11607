"""API schemas of household members."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from ninja import Field, Schema

from simi.accounts.schemas import IdentityIn

RelationshipName = Literal["child", "spouse", "parent", "sibling", "other"]


class HouseholdMemberIn(IdentityIn):
    """A family member you apply for: their identity as on their own documents
    (checked like your own identity: a citizen's NIK gives sex and birth date;
    a foreigner gives passport, nationality, sex and birth date) and how they
    are related to you. Not your own NIK or passport, nor another member's."""

    relationship: RelationshipName = Field(..., description="How the member is related to you.")


class HouseholdMemberOut(Schema):
    """One of your household members: numbers shown masked (last 4 characters)."""

    id: uuid.UUID = Field(..., description="Send it as ``member`` when you start an application.")
    relationship: RelationshipName
    kind: str
    full_name: str
    nationality: str
    nik_last4: str | None
    passport_last4: str | None
    sex: Literal["M", "F", "X"]
    birth_date: date | None
