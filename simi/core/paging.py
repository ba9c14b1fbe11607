"""Paged API lists: rows become schemas only after the paginator has sliced.

django-ninja's ``LimitOffsetPagination`` counts what it is given and slices
it. Given a queryset, every operation would otherwise have to turn all its
rows into schemas first; ``paged(queryset, convert)`` hands the paginator an
object that counts and slices the queryset and converts only the page::

    @router.get("/bills", response=list[BillOut])
    @paginate(LimitOffsetPagination)
    def bill_list(request: HttpRequest) -> Paged[BillOut]:
        return paged(selectors.bills_own(request.user), bill_out)

The one implementation for every router: an offset beyond the last row is
clamped before it reaches the database (SQLite refuses integers beyond 64
bits), and the count is taken once per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
S = TypeVar("S")


class Paged(Generic[S]):
    """A queryset and the function that turns one of its rows into a schema."""

    def __init__(self, queryset: QuerySet[Any], convert: Callable[[Any], S]) -> None:
        self.queryset = queryset
        self.convert = convert
        self._count: int | None = None

    def all(self) -> Paged[S]:  # the paginator counts ``items.all().count()``
        return self

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[S]:
        total = self.count()
        start = min(window.start or 0, total)
        stop = total if window.stop is None else min(window.stop, total)
        if start >= stop:
            return []
        return [self.convert(row) for row in self.queryset[start:stop]]


def paged(queryset: QuerySet[M], convert: Callable[[M], S]) -> Paged[S]:
    """The queryset, counted and sliced by the paginator, converted page by page."""
    return Paged(queryset, convert)
