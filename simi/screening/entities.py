"""The plain values screening works on: watchlist entries, queries, matches."""

from __future__ import annotations

from dataclasses import dataclass, field

# List kinds of SIMI's own watchlist CSV. Imported international lists get
# IMPORTED; only LOST_STOLEN entries make a document-number hit decisive.
ENTRY_BAN = "entry_ban"  # penangkalan
EXIT_BAN = "exit_ban"  # pencegahan
WANTED = "wanted"
LOST_STOLEN = "lost_stolen"
IMPORTED = "imported"
LIST_KINDS = frozenset({ENTRY_BAN, EXIT_BAN, WANTED, LOST_STOLEN, IMPORTED})


@dataclass(frozen=True, slots=True)
class Entity:
    """One watchlist entry. ``names`` holds the primary name first, then aliases."""

    id: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()  # ISO, possibly partial: 1970, 1970-05
    countries: tuple[str, ...] = ()  # ISO 3166-1 alpha-2, upper case
    document_numbers: tuple[str, ...] = ()  # normalized (normalize_document_number)
    list_kind: str = IMPORTED
    reason: str = ""
    schema: str = "Person"


@dataclass(frozen=True, slots=True)
class Query:
    """A person to screen."""

    id: str
    name: str
    birth_date: str | None = None  # full ISO date
    nationality: str | None = None  # ISO 3166-1 alpha-2
    document_numbers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Factor:
    """One contribution to a score, kept so a reviewer sees why it is what it is."""

    name: str
    contribution: float
    detail: str


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: str
    score: float
    factors: tuple[Factor, ...] = field(default_factory=tuple)

    @property
    def explanation(self) -> str:
        parts = []
        for factor in self.factors:
            if factor.name == "name":
                parts.append(f"name {factor.detail}")
            elif factor.name == "document":
                parts.append(f"document {factor.detail}")
            else:
                parts.append(f"{factor.name} {factor.detail} {factor.contribution:+.2f}")
        return "; ".join(parts)
