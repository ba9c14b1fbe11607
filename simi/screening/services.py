"""Every write of screening: watchlist governance (impact estimate, publish,
retire), the switch, review decisions, and screening one person for staff.

Keyword-only, atomic, audited with ids and codes only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from simi.core.models import Office
from simi.core.ratelimit import hit
from simi.people.models import Person
from simi.screening.access import MANAGE, REVIEW, SCREEN, in_office_scope, require_capability
from simi.screening.codes import Action, Code
from simi.screening.countries import alpha2
from simi.screening.entities import Query
from simi.screening.flows import factor_code
from simi.screening.live import bump_version, control, entity_of, live_index
from simi.screening.matching import MIN_RETRIEVAL_SCORE, ScreeningIndex
from simi.screening.models import (
    DismissedPair,
    EntryStatus,
    ReviewItem,
    ScreeningControl,
    Watchlist,
    WatchlistEntry,
)
from simi.screening.normalize import normalize_name
from simi.screening.protection import document_token, pair_fingerprint
from simi.screening.subjects import query_for_person

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 2000
SCREEN_RATE = (30, 60)  # staff screenings per user per minute


def _reason(text: str | None, field: str = "reason") -> str:
    clean = " ".join((text or "").split())
    if len(clean) < MIN_REASON_LENGTH:
        raise ValidationFailed.for_field(
            field,
            _("Write the reason (at least %(n)d characters).") % {"n": MIN_REASON_LENGTH},
            code=CommonCode.REASON_REQUIRED,
        )
    if len(clean) > MAX_REASON_LENGTH:
        raise ValidationFailed.for_field(
            field,
            _("Keep the reason under %(n)d characters.") % {"n": MAX_REASON_LENGTH},
            code=CommonCode.REASON_TOO_LONG,
        )
    return clean


# --- watchlists --------------------------------------------------------------


@transaction.atomic
def watchlist_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    owner_office: Office | None = None,
    owner_agency: str = "",
    legal_basis: str = "",
) -> Watchlist:
    require_capability(actor, MANAGE)
    errors: dict[str, list[Any]] = {}
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,59}", code or ""):
        errors["code"] = [_("Use 2 to 60 lower-case letters, digits and '-'.")]
    elif Watchlist.objects.filter(code=code).exists():
        errors["code"] = [_("A watchlist with this code exists.")]
    if not (name or "").strip():
        errors["name"] = [_("Give the list a name.")]
    if kind not in Watchlist.Kind.values:
        errors["kind"] = [_("Choose a kind from the list.")]
    if errors:
        raise ValidationFailed(fields=errors)
    watchlist = Watchlist.objects.create(
        code=code,
        name=name.strip()[:200],
        kind=kind,
        owner_office=owner_office,
        owner_agency=(owner_agency or "").strip()[:200],
        legal_basis=(legal_basis or "").strip()[:300],
    )
    audit_record(
        actor=actor, action=Action.WATCHLIST_CREATED, target=watchlist, data={"kind": kind}
    )
    return watchlist


@dataclass(frozen=True)
class ImpactResult:
    entries: int
    people: int
    hits: int


def impact_estimate(*, actor: Actor, watchlist: Watchlist) -> ImpactResult:
    """For every draft entry without a current estimate: how many people
    SIMI holds now would hit it at the review threshold."""
    require_capability(actor, MANAGE)
    pending = [
        entry
        for entry in WatchlistEntry.objects.filter(watchlist=watchlist, status=EntryStatus.DRAFT)
        if not entry.impact_is_current
    ]
    if not pending:
        return ImpactResult(0, 0, 0)
    by_id = {str(entry.public_id): entry for entry in pending}
    index = ScreeningIndex(entity_of(entry, watchlist.kind) for entry in pending)
    threshold = control().review_threshold
    counts: dict[str, int] = defaultdict(int)
    people = 0
    for person in Person.objects.order_by("id").iterator(chunk_size=500):
        people += 1
        for match in index.screen(query_for_person(person), threshold):
            counts[match.entity_id] += 1
    now = timezone.now()
    with transaction.atomic():
        for entity_id, entry in by_id.items():
            # Only if the content is still what was estimated (no import in between).
            WatchlistEntry.objects.filter(pk=entry.pk, fingerprint=entry.fingerprint).update(
                impact_count=counts.get(entity_id, 0),
                impact_fingerprint=entry.fingerprint,
                impact_estimated_at=now,
                updated_at=now,
            )
        result = ImpactResult(len(by_id), people, sum(counts.values()))
        audit_record(
            actor=actor,
            action=Action.IMPACT_ESTIMATED,
            target=watchlist,
            data={"entries": result.entries, "people": result.people, "hits": result.hits},
        )
    return result


@transaction.atomic
def watchlist_publish(*, actor: Actor, watchlist: Watchlist) -> int:
    """Every draft entry with a current impact estimate goes live."""
    user = require_capability(actor, MANAGE)
    drafts = WatchlistEntry.objects.select_for_update(no_key=True).filter(
        watchlist=watchlist, status=EntryStatus.DRAFT
    )
    ready = [entry.pk for entry in drafts if entry.impact_is_current]
    if not ready:
        raise Conflict(
            _("Estimate the impact first: no draft entry has a current impact estimate."),
            code=Code.IMPACT_ESTIMATE_REQUIRED,
        )
    now = timezone.now()
    WatchlistEntry.objects.filter(pk__in=ready).update(
        status=EntryStatus.LIVE, published_at=now, published_by=user, updated_at=now
    )
    bump_version()
    audit_record(
        actor=actor,
        action=Action.ENTRIES_PUBLISHED,
        target=watchlist,
        data={"entries": len(ready), "version": watchlist.version},
    )
    return len(ready)


def _locked_entry(entry: WatchlistEntry) -> WatchlistEntry:
    locked = WatchlistEntry.objects.select_for_update(no_key=True).filter(pk=entry.pk).first()
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def entry_publish(*, actor: Actor, entry: WatchlistEntry) -> WatchlistEntry:
    user = require_capability(actor, MANAGE)
    locked = _locked_entry(entry)
    if locked.status != EntryStatus.DRAFT:
        raise Conflict(_("Only a draft entry can be published."), code=CommonCode.NOT_A_DRAFT)
    if not locked.impact_is_current:
        raise Conflict(
            _("Estimate the impact first: this entry has no current impact estimate."),
            code=Code.IMPACT_ESTIMATE_REQUIRED,
        )
    locked.status = EntryStatus.LIVE
    locked.published_at = timezone.now()
    locked.published_by = user
    locked.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    bump_version()
    audit_record(
        actor=actor,
        action=Action.ENTRY_PUBLISHED,
        target=locked,
        data={"watchlist": locked.watchlist.code, "impact": locked.impact_count},
    )
    return locked


@transaction.atomic
def entry_retire(*, actor: Actor, entry: WatchlistEntry, reason: str) -> WatchlistEntry:
    require_capability(actor, MANAGE)
    clean = _reason(reason)
    locked = _locked_entry(entry)
    if locked.status == EntryStatus.RETIRED:
        return locked
    was_live = locked.status == EntryStatus.LIVE
    locked.status = EntryStatus.RETIRED
    locked.retired_at = timezone.now()
    locked.save(update_fields=["status", "retired_at", "updated_at"])
    if was_live:
        bump_version()
    audit_record(
        actor=actor,
        action=Action.ENTRY_RETIRED,
        target=locked,
        data={"watchlist": locked.watchlist.code, "was_live": was_live},
        purpose=clean,
    )
    return locked


@transaction.atomic
def entry_governance_update(
    *,
    actor: Actor,
    entry: WatchlistEntry,
    owner: str,
    reason: str,
    legal_basis: str,
    review_date: dt.date | None,
) -> WatchlistEntry:
    """Owner, reason, legal basis and review date of one entry."""
    require_capability(actor, MANAGE)
    locked = _locked_entry(entry)
    locked.owner = (owner or "").strip()[:200]
    locked.reason = (reason or "").strip() or None
    locked.legal_basis = (legal_basis or "").strip()[:300]
    locked.review_date = review_date
    locked.save(update_fields=["owner", "reason", "legal_basis", "review_date", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.ENTRY_GOVERNANCE_UPDATED,
        target=locked,
        data={"review_date": review_date.isoformat() if review_date else None},
    )
    return locked


# --- the switch ---------------------------------------------------------------


@transaction.atomic
def control_set(
    *,
    actor: Actor,
    automatic_enabled: bool,
    reason: str,
    review_threshold: float | None = None,
) -> ScreeningControl:
    """Turn automatic screening on or off (human oversight), and set the
    review threshold. Turning it back on audits how many were skipped."""
    user = require_capability(actor, MANAGE)
    clean = _reason(reason)
    if review_threshold is not None and not 0.6 <= review_threshold <= 1.0:
        raise ValidationFailed.for_field(
            "review_threshold",
            _("The review threshold is between 0.6 and 1.0."),
            code=Code.THRESHOLD_RANGE,
        )
    control()
    row = ScreeningControl.objects.select_for_update(no_key=True).get(pk=ScreeningControl.SINGLETON)
    skipped = row.skipped_count
    switched = row.automatic_enabled != automatic_enabled
    row.automatic_enabled = automatic_enabled
    if review_threshold is not None:
        row.review_threshold = round(review_threshold, 4)
    row.changed_by = user
    row.changed_at = timezone.now()
    row.reason = clean[:500]
    if automatic_enabled and switched:
        row.skipped_count = 0
    row.save()
    action = Action.CONTROL_CHANGED
    if switched:
        action = Action.SWITCHED_ON if automatic_enabled else Action.SWITCHED_OFF
    audit_record(
        actor=actor,
        action=action,
        target=None,
        data={
            "automatic": automatic_enabled,
            "threshold": row.review_threshold,
            "skipped_while_off": skipped if automatic_enabled and switched else None,
        },
        purpose=clean,
    )
    return row


# --- review decisions ------------------------------------------------------------

DECISIONS = {
    "confirm": ReviewItem.Status.CONFIRMED,
    "dismiss": ReviewItem.Status.DISMISSED,
    "escalate": ReviewItem.Status.ESCALATED,
}
DECIDED = {
    "confirm": Action.REVIEW_CONFIRMED,
    "dismiss": Action.REVIEW_DISMISSED,
    "escalate": Action.REVIEW_ESCALATED,
}


@transaction.atomic
def review_decide(*, actor: Actor, item: ReviewItem, decision: str, reason: str) -> ReviewItem:
    """Confirm, dismiss or escalate a review item, with a written reason.

    A dismissal remembers each (person, entry, data) pair so the same false
    positive does not come back until the person's data or the entry changes.
    """
    user = require_capability(actor, REVIEW)
    if decision not in DECISIONS:
        raise ValidationFailed.for_field(
            "decision", _("Choose confirm, dismiss or escalate."), code=Code.UNKNOWN_DECISION
        )
    clean = _reason(reason)
    locked = ReviewItem.objects.select_for_update(no_key=True).filter(pk=item.pk).first()
    if locked is None or not in_office_scope(user, locked.office_id):
        raise NotFound()
    if not locked.is_open or (
        decision == "escalate" and locked.status == ReviewItem.Status.ESCALATED
    ):
        raise Conflict(_("This review item is already decided."), code=Code.ALREADY_DECIDED)
    status_from = locked.status
    locked.status = DECISIONS[decision]
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.decision_reason = clean
    locked.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
    )
    if decision == "dismiss":
        entries = dict(
            WatchlistEntry.objects.filter(
                public_id__in=[h["entry"] for h in locked.hits]
            ).values_list("public_id", "pk")
        )
        for hit_data in locked.hits:
            entry_pk = entries.get(_uuid(hit_data["entry"]))
            if entry_pk is None:
                continue
            DismissedPair.objects.get_or_create(
                subject_key=locked.subject_key,
                entry_id=entry_pk,
                fingerprint=pair_fingerprint(
                    locked.subject_fingerprint, hit_data["entry_fingerprint"]
                ),
                defaults={"review_item": locked},
            )
    audit_record(
        actor=actor,
        action=DECIDED[decision],
        target=locked,
        data={
            "from": status_from,
            "to": locked.status,
            "subject_type": locked.subject_type,
            "entries": [h["entry"] for h in locked.hits],
        },
    )
    return locked


def _uuid(value: str) -> Any:
    import uuid

    return uuid.UUID(value)


# --- screening one person (staff) ------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    entry: WatchlistEntry
    score: float
    explanation: str
    factors: list[tuple[str, float, str]]


def screen_person(
    *,
    actor: Actor,
    name: str,
    purpose: str,
    birth_date: dt.date | None = None,
    nationality: str | None = None,
    document_number: str | None = None,
    threshold: float = 0.7,
) -> list[Candidate]:
    """Screen one person against the live lists; audited with the purpose.

    The query itself is never stored: the audit entry holds the purpose, the
    number of candidates and their entry ids.
    """
    user = require_capability(actor, SCREEN)
    clean_purpose = _reason(purpose, "purpose")
    errors: dict[str, list[Any]] = {}
    if not normalize_name(name or "").tokens:
        errors["name"] = [_("Give a name with letters (titles alone are not a name).")]
    country = None
    if nationality:
        country = alpha2(nationality)
        if country is None:
            errors["nationality"] = [_("Use an ISO 3166 or ICAO country code, e.g. ID or IDN.")]
    if not MIN_RETRIEVAL_SCORE <= threshold <= 1.0:
        errors["threshold"] = [_("The threshold is between 0.6 and 1.0.")]
    if errors:
        raise ValidationFailed(fields=errors)
    limit, window = SCREEN_RATE
    if not hit("screening-screen", str(user.pk), limit=limit, window_seconds=window):
        raise RateLimited()
    token = document_token(document_number or "")
    query = Query(
        id="staff",
        name=name,
        birth_date=birth_date.isoformat() if birth_date else None,
        nationality=country,
        document_numbers=(token,) if token else (),
    )
    live = live_index()
    matches = live.index.screen(query, threshold)
    found = {
        str(entry.public_id): entry
        for entry in WatchlistEntry.objects.select_related("watchlist").filter(
            public_id__in=[m.entity_id for m in matches]
        )
    }
    candidates = []
    for match in matches:
        entry = found.get(match.entity_id)
        if entry is None:
            continue
        explanation = match.explanation
        if token:
            explanation = explanation.replace(token, _("the given number").__str__())
        candidates.append(
            Candidate(
                entry,
                match.score,
                explanation,
                [(f.name, round(f.contribution, 4), factor_code(f)) for f in match.factors],
            )
        )
    audit_record(
        actor=actor,
        action=Action.PERSON_SCREENED,
        target=None,
        purpose=clean_purpose,
        data={
            "candidates": len(candidates),
            "top_score": candidates[0].score if candidates else None,
            "entries": [str(c.entry.public_id) for c in candidates[:20]],
            "with_birth_date": birth_date is not None,
            "with_document": bool(token),
        },
    )
    return candidates
