"""Screening fixtures: a managed watchlist with synthetic entries, helpers
to import files and put entries live. Every name here is synthetic."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from simi.accounts.models import User
from simi.screening import live
from simi.screening.imports import watchlist_import_file
from simi.screening.models import Watchlist, WatchlistImport
from simi.screening.services import impact_estimate, watchlist_create, watchlist_publish

SIMI_HEADER = "id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason\n"


def simi_csv(*rows: str) -> bytes:
    return (SIMI_HEADER + "".join(row + "\n" for row in rows)).encode("utf-8")


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    live.forget()
    yield
    live.forget()


@pytest.fixture
def entry_ban(admin_user: Any, kotabumi: Any) -> Watchlist:
    return watchlist_create(
        actor=admin_user,
        code="penangkalan",
        name="Daftar penangkalan (synthetic)",
        kind=Watchlist.Kind.ENTRY_BAN,
        owner_office=kotabumi,
        legal_basis="UU 6/2011 Pasal 102",
    )


@pytest.fixture
def lost_stolen(admin_user: Any) -> Watchlist:
    return watchlist_create(
        actor=admin_user,
        code="dokumen-hilang",
        name="Lost and stolen documents (synthetic)",
        kind=Watchlist.Kind.LOST_STOLEN_DOCUMENTS,
        owner_agency="Interpol SLTD (synthetic extract)",
    )


def import_bytes(actor: User, watchlist: Watchlist, raw: bytes) -> WatchlistImport:
    return watchlist_import_file(actor=actor, watchlist=watchlist, raw=raw)


def make_live(actor: User, watchlist: Watchlist, raw: bytes) -> WatchlistImport:
    """Import, estimate the impact and publish: the entries are screened from now."""
    upload = import_bytes(actor, watchlist, raw)
    impact_estimate(actor=actor, watchlist=watchlist)
    watchlist_publish(actor=actor, watchlist=watchlist)
    return upload


# "Tesanu Volaki" is the synthetic foreigner of the oversight fixtures;
# "Ani Rahmawati Putri" the synthetic applicant of the applications fixtures.
BANNED = simi_csv(
    "wl-1,Tesanu Volaki,T. Volaki,1990-03-14,AU,,entry_ban,synthetic test entry",
    "wl-2,Ani Rahmawati Putri,,1985-08-17,ID,,entry_ban,synthetic test entry",
    "wl-3,Kurowi Sabadane,,1961-01-01,MY,,entry_ban,synthetic test entry",
)
