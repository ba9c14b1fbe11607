"""Screening in the flows: other domains ask for a screening, a job screens,
a hit opens a review item. Nothing here blocks, delays or decides anything:
``request_screening`` only schedules a job after the caller's commit, and the
job writes to screening's own tables.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django_tasks import task

from simi.audit.services import audit_record
from simi.screening.codes import Action
from simi.screening.entities import Factor, Match
from simi.screening.live import EntryMeta, control, live_index
from simi.screening.models import DismissedPair, ReviewItem, ScreeningControl
from simi.screening.protection import pair_fingerprint
from simi.screening.risk.flow import assess, open_risk_item, record, risk_fields
from simi.screening.risk.scoring import RiskResult
from simi.screening.subjects import Target, registered_types, targets

log = logging.getLogger(__name__)


def request_screening(*, subject_type: str, subject_id: int) -> None:
    """Screen a subject in the background, after the caller's transaction commits.

    Never raises into the caller's flow for anything but a programming error
    (a subject type no domain registered in ``SIMI_SCREENING_SUBJECTS``);
    with the switch off nothing is queued, only counted.
    """
    if subject_type not in registered_types():
        raise ValueError(f"unknown screening subject type {subject_type!r}")

    def enqueue() -> None:
        if not control().automatic_enabled:
            record_skips(1)
            return
        screen_subject_job.enqueue(subject_type, int(subject_id))

    # robust: a failure to queue is logged and never undoes the caller's work.
    transaction.on_commit(enqueue, robust=True)


def record_skips(count: int) -> None:
    control()
    ScreeningControl.objects.filter(pk=ScreeningControl.SINGLETON).update(
        skipped_count=F("skipped_count") + count
    )
    log.info("automatic screening is off: skipped", extra={"skipped": count})


# --- explanation codes -------------------------------------------------------

_NAME_TAGS = (
    ("alias", re.compile(r"\balias\b")),
    ("initials", re.compile(r"\binitials\b")),
    ("typo", re.compile(r"\btypo\b")),
    ("patronymic_ignored", re.compile(r"patronymic ignored")),
    ("joined_tokens", re.compile(r"joined tokens")),
    ("transposition", re.compile(r"\btransposed\b")),
    ("vowel_variant", re.compile(r"\bvowel variant\b")),
    ("titles_ignored", re.compile(r"\btitles ignored\b")),
)
_SPELLING = re.compile(r"(?:^|[(,]\s*)[a-z]+~[a-z]+")
_OTHER_CODES = {
    "exact": "exact",
    "same year": "same_year",
    "conflicting": "conflicting",
    "same": "same",
    "different": "different",
}


def factor_code(factor: Factor) -> str:
    """A code for one contribution that names nobody."""
    if factor.name == "name":
        tags = [tag for tag, pattern in _NAME_TAGS if pattern.search(factor.detail)]
        if _SPELLING.search(factor.detail):
            tags.append("spelling_variant")
        return "+".join(["similarity", *tags])
    if factor.name == "document":
        return "lost_stolen" if "lost/stolen" in factor.detail else "match"
    if factor.detail.startswith("consistent"):
        return "consistent_partial"
    return _OTHER_CODES.get(factor.detail, "other")


def hit_record(match: Match, meta: EntryMeta) -> dict[str, Any]:
    return {
        "entry": meta.public_id,
        "watchlist": meta.watchlist,
        "kind": meta.kind,
        "score": match.score,
        "entry_fingerprint": meta.fingerprint,
        "factors": [[f.name, round(f.contribution, 4), factor_code(f)] for f in match.factors],
    }


# --- the job -----------------------------------------------------------------


@dataclass
class Outcome:
    screened: int = 0
    items_opened: int = 0
    dismissed_pairs_skipped: int = 0
    skipped: bool = False


def _open_item(
    target: Target, hits: list[dict[str, Any]], stamp: str, *, risk: RiskResult | None = None
) -> bool:
    hits_key = hashlib.sha256(
        ",".join(sorted(h["entry"] + h["entry_fingerprint"] for h in hits)).encode()
    ).hexdigest()
    if ReviewItem.objects.filter(
        subject_type=target.subject_type,
        subject_id=target.subject_id,
        hits_key=hits_key,
        status__in=[ReviewItem.Status.OPEN, ReviewItem.Status.ESCALATED],
    ).exists():
        return False
    try:
        with transaction.atomic():
            item = ReviewItem.objects.create(
                subject_type=target.subject_type,
                subject_id=target.subject_id,
                subject_key=target.subject_key,
                subject_fingerprint=target.fingerprint,
                office=target.office,
                hits=hits,
                hits_key=hits_key,
                top_score=max(h["score"] for h in hits),
                index_stamp=stamp,
                **risk_fields(risk),
            )
            audit_record(
                actor=None,
                action=Action.REVIEW_OPENED,
                target=item,
                data={
                    "subject_type": target.subject_type,
                    "subject": str(target.subject_id),
                    "office": target.office.code,
                    "entries": [h["entry"] for h in hits],
                    "top_score": item.top_score,
                },
            )
    except IntegrityError:  # the same job ran twice at once
        return False
    return True


def screen_subject(*, subject_type: str, subject_id: int) -> Outcome:
    """Screen the people of one request; open a review item for hits at or
    above the review threshold that a human has not already dismissed."""
    settings_row = control()
    if not settings_row.automatic_enabled:
        record_skips(1)
        return Outcome(skipped=True)
    live = live_index()
    threshold = settings_row.review_threshold
    outcome = Outcome()
    for target in targets(subject_type, subject_id):
        outcome.screened += 1
        matches = live.index.screen(target.query, threshold)
        hits = []
        for match in matches:
            meta = live.meta.get(match.entity_id)
            if meta is None:
                continue
            pair = pair_fingerprint(target.fingerprint, meta.fingerprint)
            if DismissedPair.objects.filter(
                subject_key=target.subject_key, entry_id=meta.pk, fingerprint=pair
            ).exists():
                outcome.dismissed_pairs_skipped += 1
                continue
            hits.append(hit_record(match, meta))
        # The risk score (issue 6 item 5) rides along: it is attached to the
        # item a hit opens, or opens a risk item alone; it never decides.
        risk = assess(target, hits)
        if hits:
            opened = _open_item(target, hits, live.version, risk=risk)
        else:
            opened = risk is not None and risk.is_high and open_risk_item(target, risk)
        if opened:
            outcome.items_opened += 1
        record(target, risk)
    return outcome


@task()
def screen_subject_job(subject_type: str, subject_id: int) -> dict[str, Any]:
    """The job: screen one application, foreigner, permit, lodging report or
    upload. A repeat finds the open review item and opens no second one.

    It lives beside ``request_screening``, which queues it, and the screening
    it runs, so that neither has to import the other's module back."""
    outcome = screen_subject(subject_type=subject_type, subject_id=subject_id)
    return {
        "skipped": outcome.skipped,
        "screened": outcome.screened,
        "opened": outcome.items_opened,
        "dismissed_skipped": outcome.dismissed_pairs_skipped,
    }
