"""Shared fixtures: the named personas every permission test uses.

Offices come from the data migration: ``kanim-kotabumi`` (office) and its
service point ``ulp-liwa``. ``elsewhere`` is a second office that is not ours.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from hypothesis import settings as hypothesis_settings

from simi.accounts.mfa import SESSION_VERIFIED_AT, needs_mfa
from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.core.models import Office, Region
from simi.core.referencedata import load_regions_and_offices

# Property tests explore new examples on developers' machines; CI replays a
# fixed set (no flaky red builds) and never times out a slow shared runner.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _empty_sms_outbox() -> None:
    """The in-memory SMS gateway of the tests starts empty for every test."""
    from simi.notifications import sms

    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty cache (rate-limit counters are rows in
    the database and go with each test's transaction)."""
    cache.clear()


@pytest.fixture
def reference_data(db: None) -> None:
    """Regions and offices from the data migration; reloaded after a
    transactional test has flushed the tables."""
    if not Office.objects.filter(code="ulp-liwa").exists():
        load_regions_and_offices(Region, Office)


@pytest.fixture
def catalogue(reference_data: None) -> None:
    """The service catalogue from its data migration, reloaded after a flush."""
    from simi.catalog.models import ServiceType
    from simi.catalog.referencedata import current_models, load_catalogue

    if not ServiceType.objects.exists():
        load_catalogue(current_models(), Office)


@pytest.fixture
def kotabumi(reference_data: None) -> Office:
    return Office.objects.get(code="kanim-kotabumi")


@pytest.fixture
def liwa(reference_data: None) -> Office:
    return Office.objects.get(code="ulp-liwa")


@pytest.fixture
def elsewhere(db: None) -> Office:
    return Office.objects.create(
        code="kanim-elsewhere", name="Kantor Imigrasi Lain", kind=Office.Kind.OFFICE
    )


@pytest.fixture
def applicant(db: None) -> User:
    return UserFactory(email="ani@example.test", full_name="Ani Applicant", role=Role.APPLICANT)


@pytest.fixture
def other_applicant(db: None) -> User:
    return UserFactory(email="budi@example.test", full_name="Budi Applicant", role=Role.APPLICANT)


@pytest.fixture
def officer(liwa: Office) -> User:
    """Front-desk officer at the Liwa service point."""
    return UserFactory(
        email="olivia@example.test", full_name="Olivia Officer", role=Role.FRONT_DESK, office=liwa
    )


@pytest.fixture
def supervisor(kotabumi: Office) -> User:
    """Supervisor at Kantor Imigrasi Kotabumi (the parent of Liwa)."""
    return UserFactory(
        email="sam@example.test", full_name="Sam Supervisor", role=Role.SUPERVISOR, office=kotabumi
    )


@pytest.fixture
def oversight(kotabumi: Office) -> User:
    return UserFactory(
        email="oscar@example.test",
        full_name="Oscar Oversight",
        role=Role.OVERSIGHT,
        office=kotabumi,
    )


@pytest.fixture
def outsider(elsewhere: Office) -> User:
    """A supervisor of another office: must see nothing of ours."""
    return UserFactory(
        email="xena@example.test", full_name="Xena Outsider", role=Role.SUPERVISOR, office=elsewhere
    )


@pytest.fixture
def analyst(db: None) -> User:
    return UserFactory(email="ana@example.test", full_name="Ana Analyst", role=Role.ANALYST)


@pytest.fixture
def partner(db: None) -> User:
    return UserFactory(email="pat@example.test", full_name="Pat Partner", role=Role.PARTNER)


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory(
        email="adam@example.test", full_name="Adam Admin", role=Role.ADMIN, is_superuser=True
    )


@pytest.fixture
def auditor(db: None) -> User:
    return UserFactory(email="aud@example.test", full_name="Audrey Auditor", role=Role.AUDITOR)


@pytest.fixture
def client_for() -> Callable[..., Client]:
    """A signed-in browser; staff have passed their second factor unless mfa=False."""

    def make(user: User, *, mfa: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if mfa and needs_mfa(user):
            session = client.session
            session[SESSION_VERIFIED_AT] = int(time.time())
            session.save()
        return client

    return make


@pytest.fixture
def run_jobs() -> Callable[[], None]:
    """Drain the job queue with the real worker code (batch mode, in-process)."""

    def drain() -> None:
        call_command(
            "run_worker",
            "--batch",
            "--queue-name",
            "*",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
        )

    return drain
