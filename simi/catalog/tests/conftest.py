"""Catalogue test helpers: look-ups by code (``catalogue`` lives in simi/conftest.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simi.catalog.models import ServiceType


@pytest.fixture
def service(catalogue):
    def get(code: str) -> ServiceType:
        return ServiceType.objects.get(code=code)

    return get


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def days():
    """days(30) -> the date 30 days from today (negative: in the past)."""

    def shift(n: int):
        return timezone.localdate() + timedelta(days=n)

    return shift
