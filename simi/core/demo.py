"""Synthetic demo data, assembled from every domain without core knowing them.

``manage.py seed_demo`` runs the seeders that ``settings.SIMI_DEMO_SEEDERS``
names, in that order (later domains build on earlier ones: applications need
the demo accounts, visits need the applications). Each seeder is idempotent,
takes the run's options and returns one line for the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from simi.core.hooks import named


@dataclass(frozen=True)
class DemoOptions:
    applicants: int = 24  # generated applicants besides the named demo accounts


Seeder = Callable[[DemoOptions], str]


@cache
def demo_seeders() -> tuple[Seeder, ...]:
    return tuple(named(path) for path in settings.SIMI_DEMO_SEEDERS)
