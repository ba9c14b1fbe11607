"""The applicant's pages on a 390x844 phone in a real browser (Debian's
Chromium via Playwright): nothing scrolls sideways, the site's header is a
compact row with the menu behind a button that opens without a script, a
key sits above its value, and the status of each listed application, bill
and visit is on the screen; axe finds nothing serious on any of them."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from simi.applications.billing import application_bill_issue
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import give_identity
from simi.appointments.referencedata import current_models, load_schedule
from simi.appointments.selectors import earliest_slot
from simi.appointments.services import booking_create
from simi.core.models import Office
from simi.core.tests.accessibility import Watch
from simi.payments.tests.conftest import to_awaiting_payment

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
HEADER_MAX = 130  # about 15% of an 844px screen

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def world(applicant: Any, catalogue: None) -> dict[str, str]:
    """Ani with a draft, and an application awaiting payment with its bill
    and a booked visit (the real clock: the browser's loop needs one)."""
    give_identity(applicant, nik="1804041708850003", name="Ani Rahmawati Putri")
    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    other = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    submitted = submit_complete(actor=applicant, application=other)
    bill = application_bill_issue(actor=None, application=to_awaiting_payment(submitted))
    load_schedule(current_models(), Office)
    slot = earliest_slot(office=submitted.office, kind=submitted.service_type.kind)
    assert slot is not None
    booking = booking_create(
        actor=applicant, application=submitted, day=slot.day, session_code=slot.session.code
    )
    return {
        "draft": f"/permohonan/{draft.public_id}/",
        "check": f"/permohonan/{draft.public_id}/periksa/",
        "submitted": f"/permohonan/{submitted.public_id}/",
        "bill": f"/pembayaran/{bill.public_id}/",
        "booking": f"/janji-temu/{booking.public_id}/",
        "applications": "/permohonan/",
        "bills": "/pembayaran/",
        "visits": "/janji-temu/",
    }


@pytest.fixture
def browser(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def phone_of(browser: Any, live_server: Any, user: Any, *, script: bool = True) -> Any:
    """A 390x844 page signed in as ``user`` (Indonesian, the default)."""
    client = Client()
    client.force_login(user)
    # bypass_csp: axe (test-only) is injected as an inline script
    context = browser.new_context(
        locale="id-ID", viewport=PHONE, java_script_enabled=script, bypass_csp=True
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.base = live_server.url
    return page


def assert_fits_a_phone(page: Any, path: str) -> None:
    response = page.goto(page.base + path)
    assert response.status == 200, path
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (path, width)
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_MAX, (path, header)
    # with the demo banner above it, the content still starts within that space
    assert header["y"] + header["height"] <= HEADER_MAX, (path, header)


def assert_key_above_value(page: Any, dl: str) -> None:
    key = page.locator(f"{dl} dt").first
    value = page.locator(f"{dl} dt + dd").first
    key_box, value_box = key.bounding_box(), value.bounding_box()
    assert value_box["y"] > key_box["y"] + key_box["height"] - 1, (dl, key_box, value_box)
    assert value_box["x"] <= key_box["x"] + 1, (dl, key_box, value_box)


def assert_on_screen(box: dict[str, float]) -> None:
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_key_value_pages_fit_a_phone_with_each_key_above_its_value(
    browser, live_server, applicant, world
):
    # given Ani on a 390px phone
    page = phone_of(browser, live_server, applicant)
    pages = {
        "draft": "dl.facts",
        "check": "dl.summary-list",
        "submitted": "dl.facts",
        "bill": "dl.facts",
        "booking": "dl.facts",
    }
    watch = Watch(page)
    for name, dl in pages.items():
        # when she opens the application, check-your-answers, bill and visit pages
        assert_fits_a_phone(page, world[name])
        # then each key stands above its value
        assert_key_above_value(page, dl)
        watch.check(name)
    assert watch.problems == []


@pytest.mark.django_db(transaction=True)
def test_lists_keep_their_status_on_a_phone(browser, live_server, applicant, world):
    # given Ani on a 390px phone
    page = phone_of(browser, live_server, applicant)
    watch = Watch(page)
    for name in ("applications", "bills", "visits"):
        # when she opens her applications, bills and visits
        assert_fits_a_phone(page, world[name])
        watch.check(name)
        # then every row's status is on the screen
        statuses = page.locator("td.cell-status")
        assert statuses.count() >= 1, name
        for index in range(statuses.count()):
            cell = statuses.nth(index)
            assert cell.is_visible(), name
            assert_on_screen(cell.bounding_box())
    assert watch.problems == []


@pytest.mark.django_db(transaction=True)
def test_the_menu_opens_behind_its_button_without_a_script(browser, live_server, applicant, world):
    from playwright.sync_api import expect

    # given Ani on a phone whose browser runs no script
    page = phone_of(browser, live_server, applicant, script=False)
    assert_fits_a_phone(page, world["applications"])
    menu_link = page.locator(".main-nav").get_by_role("link", name="Tagihan")
    # then the menu is behind its button, and the header is one compact row
    expect(page.locator(".nav-toggle")).to_be_visible()
    expect(menu_link).to_be_hidden()
    # when she presses "Menu"
    page.locator(".nav-toggle").click()
    # then the menu opens below the header and its links lead on
    expect(menu_link).to_be_visible()
    header = page.locator(".site-header").bounding_box()
    assert page.locator(".main-nav").bounding_box()["y"] >= header["y"] + header["height"] - 1
    menu_link.click()
    expect(page).to_have_url(page.base + world["bills"])


@pytest.mark.django_db(transaction=True)
def test_the_menu_is_open_in_the_header_on_a_wide_screen(browser, live_server, applicant, world):
    from playwright.sync_api import expect

    # given Ani on a desktop screen
    page = phone_of(browser, live_server, applicant)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(page.base + world["applications"])
    # then the menu shows in the header, without a button
    expect(page.locator(".main-nav").get_by_role("link", name="Tagihan")).to_be_visible()
    expect(page.locator(".nav-toggle")).to_be_hidden()
