"""The /api/v1 operations of screening: watchlists, screening one person, reviews."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import File
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.core.codes import CommonCode
from simi.core.errors import ValidationFailed
from simi.core.idempotency import idempotent
from simi.core.paging import paged
from simi.core.routing import ScopedRouter
from simi.screening import imports, selectors, services
from simi.screening.access import MANAGE, REPORT, REVIEW, SCREEN, require_capability
from simi.screening.models import ReviewItem, ScreeningControl, Watchlist, WatchlistImport
from simi.screening.schemas import (
    CandidateOut,
    ControlIn,
    ControlOut,
    FactorOut,
    HitOut,
    ImpactOut,
    ImportOut,
    PublishOut,
    ReviewDecisionIn,
    ReviewItemOut,
    ScreenIn,
    ScreenOut,
    WatchlistOut,
)

router = ScopedRouter(tags=["screening"])


def _factors(raw: list[Any]) -> list[FactorOut]:
    return [FactorOut(factor=f[0], contribution=f[1], code=f[2]) for f in raw]


# --- screening one person ------------------------------------------------------------


@router.post(
    "/screening/screen", scope=SCREEN, response=ScreenOut, summary="Screen one person (staff)"
)
def screen(request: HttpRequest, payload: ScreenIn) -> ScreenOut:
    """Candidates from the live watchlists with score and explanation, best
    first. ``screening:screen`` with a second factor; rate-limited; every
    call is audited with its purpose, and the query itself is never stored.
    A candidate is a lead for a human, never a decision."""
    found = services.screen_person(
        actor=request.user,
        name=payload.name,
        purpose=payload.purpose,
        birth_date=payload.birth_date,
        nationality=payload.nationality,
        document_number=payload.document_number,
        threshold=payload.threshold,
    )
    return ScreenOut(
        candidates=[
            CandidateOut(
                entry=c.entry.public_id,
                watchlist=c.entry.watchlist.code,
                list_kind=c.entry.watchlist.kind,
                external_id=c.entry.external_id,
                names=json.loads(c.entry.names),
                score=c.score,
                explanation=c.explanation,
                factors=[FactorOut(factor=n, contribution=v, code=k) for n, v, k in c.factors],
            )
            for c in found
        ]
    )


# --- review queue --------------------------------------------------------------------


def _item_out(item: ReviewItem) -> ReviewItemOut:
    return ReviewItemOut(
        id=item.public_id,
        source=item.source,
        subject_type=item.subject_type,
        subject_id=item.subject_id,
        office=item.office.code,
        status=item.status,
        top_score=item.top_score,
        hits=[
            HitOut(
                entry=uuid.UUID(h["entry"]),
                watchlist=h["watchlist"],
                list_kind=h["kind"],
                score=h["score"],
                factors=_factors(h["factors"]),
            )
            for h in item.hits
        ],
        risk_score=item.risk_score,
        created_at=item.created_at,
        decided_at=item.decided_at,
    )


@router.get(
    "/screening/reviews", scope=REVIEW, response=list[ReviewItemOut], summary="Review queue"
)
@paginate(LimitOffsetPagination)
def review_list(request: HttpRequest, status: str = "open") -> Any:
    """Review items of your offices, strongest first. ``status``: open
    (default, includes escalated), escalated, decided or all."""
    return paged(selectors.review_queue(actor=request.user, status=status), _item_out)


@router.get(
    "/screening/reviews/{item_id}", scope=REVIEW, response=ReviewItemOut, summary="One review item"
)
def review_get(request: HttpRequest, item_id: uuid.UUID) -> ReviewItemOut:
    """Another office's item answers 404 like a missing one."""
    return _item_out(selectors.review_get(actor=request.user, public_id=item_id))


@router.post(
    "/screening/reviews/{item_id}/decision",
    scope=REVIEW,
    response=ReviewItemOut,
    summary="Confirm, dismiss or escalate",
)
def review_decide(
    request: HttpRequest, item_id: uuid.UUID, payload: ReviewDecisionIn
) -> Status[Any]:
    """A written reason is required. A dismissal is remembered: the same
    person and entry do not come back until the data of either changes."""
    require_capability(request.user, REVIEW)

    def handler() -> tuple[int, dict[str, Any]]:
        item = selectors.review_get(actor=request.user, public_id=item_id)
        decided = services.review_decide(
            actor=request.user, item=item, decision=payload.decision, reason=payload.reason
        )
        return 200, _item_out(decided).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


# --- watchlists -------------------------------------------------------------------------


def _watchlist_out(w: Watchlist) -> WatchlistOut:
    return WatchlistOut(
        code=w.code,
        name=w.name,
        kind=w.kind,
        owner_office=w.owner_office.code if w.owner_office else None,
        owner_agency=w.owner_agency,
        legal_basis=w.legal_basis,
        is_active=w.is_active,
        version=w.version,
        live_entries=getattr(w, "live_count", 0),
        draft_entries=getattr(w, "draft_count", 0),
    )


def _import_out(upload: WatchlistImport) -> ImportOut:
    return ImportOut(
        id=upload.public_id,
        watchlist=upload.watchlist.code,
        format=upload.file_format,
        status=upload.status,
        percent=upload.percent,
        rows_total=upload.rows_total,
        rows_read=upload.rows_read,
        added=upload.added_count,
        changed=upload.changed_count,
        removed=upload.removed_count,
        unchanged=upload.unchanged_count,
        problems=upload.problems,
        version=upload.version,
        created_at=upload.created_at,
        finished_at=upload.finished_at,
    )


@router.get(
    "/screening/watchlists", scope=MANAGE, response=list[WatchlistOut], summary="Watchlists"
)
def watchlist_list(request: HttpRequest) -> list[WatchlistOut]:
    return [_watchlist_out(w) for w in selectors.watchlists(actor=request.user)]


# Optional in the schema so that permission is checked before the file.
_OPTIONAL_FILE = File(None)


@router.post(
    "/screening/watchlists/{code}/imports",
    scope=MANAGE,
    response={202: ImportOut},
    summary="Import a new version of a watchlist",
)
def import_create(
    request: HttpRequest, code: str, file: UploadedFile | None = _OPTIONAL_FILE
) -> Status[Any]:
    """Multipart ``file``: OpenSanctions targets.simple.csv, FollowTheMoney
    JSON lines or SIMI CSV, UTF-8. Size, encoding and layout are checked at
    once (422); the worker compares the entries: poll
    ``GET /screening/imports/{id}``. New and changed entries land as drafts."""
    require_capability(request.user, MANAGE)
    if file is None:
        raise ValidationFailed.for_field(
            "file", _("Choose the file."), code=CommonCode.FILE_MISSING
        )
    imports.check_size(file.size or 0)  # before reading a byte of it

    def handler() -> tuple[int, dict[str, Any]]:
        watchlist = selectors.watchlist_get(actor=request.user, code=code)
        upload = imports.watchlist_import_start(
            actor=request.user, watchlist=watchlist, raw=file.read(imports.max_bytes() + 1)
        )
        return 202, _import_out(upload).model_dump(mode="json")

    status, body = idempotent(request, request.user, handler)
    return Status(status, body)


@router.get(
    "/screening/imports/{import_id}",
    scope=MANAGE,
    response=ImportOut,
    summary="Progress of an import",
)
def import_get(request: HttpRequest, import_id: uuid.UUID) -> ImportOut:
    return _import_out(selectors.import_get(actor=request.user, public_id=import_id))


@router.post(
    "/screening/watchlists/{code}/impact",
    scope=MANAGE,
    response=ImpactOut,
    summary="Estimate the impact",
)
def impact(request: HttpRequest, code: str) -> ImpactOut:
    """For every draft entry: how many people SIMI holds now would hit it."""
    watchlist = selectors.watchlist_get(actor=request.user, code=code)
    result = services.impact_estimate(actor=request.user, watchlist=watchlist)
    return ImpactOut(entries=result.entries, people=result.people, hits=result.hits)


@router.post(
    "/screening/watchlists/{code}/publish",
    scope=MANAGE,
    response=PublishOut,
    summary="Publish drafts",
)
def publish(request: HttpRequest, code: str) -> PublishOut:
    """Drafts with a current impact estimate go live (409 when there is none)."""
    watchlist = selectors.watchlist_get(actor=request.user, code=code)
    return PublishOut(published=services.watchlist_publish(actor=request.user, watchlist=watchlist))


# --- the switch --------------------------------------------------------------------------


def _control_out(row: ScreeningControl) -> ControlOut:
    return ControlOut(
        automatic_enabled=row.automatic_enabled,
        review_threshold=row.review_threshold,
        changed_at=row.changed_at,
        reason=row.reason,
        skipped_while_off=row.skipped_count,
    )


@router.get(
    "/screening/control",
    scope=(SCREEN, REVIEW, MANAGE, REPORT),
    response=ControlOut,
    summary="Automatic screening: state",
)
def control_get(request: HttpRequest) -> ControlOut:
    """Whether automatic screening runs, the threshold, who changed it and why."""
    return _control_out(selectors.control_get(actor=request.user))


@router.put(
    "/screening/control",
    scope=MANAGE,
    response=ControlOut,
    summary="Turn automatic screening on/off",
)
def control_put(request: HttpRequest, payload: ControlIn) -> ControlOut:
    """Human oversight: off stops every automatic screening (skips are counted
    and audited when it is turned back on). ``screening:manage``."""
    row = services.control_set(
        actor=request.user,
        automatic_enabled=payload.automatic_enabled,
        reason=payload.reason,
        review_threshold=payload.review_threshold,
    )
    return _control_out(row)


# --- the risk model: fairness report and versions (simi/screening/risk/api.py) -----

from simi.screening.risk.api import router as _risk_router  # noqa: E402

router.add_router("", _risk_router)
