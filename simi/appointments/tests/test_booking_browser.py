"""The booking page on a 390px phone in a real browser (Debian's Chromium via
Playwright): the earliest session within the first screen, the week compact,
the proof printable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from simi.appointments.models import Booking

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def frozen_today() -> None:
    """A real browser needs a real clock (its event loop stalls on a frozen one)."""
    return


@pytest.fixture
def phone(live_server: Any, ani: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(ani)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="id-ID", viewport=PHONE)
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
        yield page
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_it_fits_the_booking_on_a_phone_and_prints_the_proof(phone, application):
    # when Ani opens the booking page on a 390px phone
    phone.goto(f"{phone.base}/janji-temu/permohonan/{application.public_id}/")
    # then the page does not scroll sideways and is a fraction of the old 3,600px column
    width = phone.evaluate("document.documentElement.scrollWidth")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert width <= PHONE["width"]
    assert height < 2600, height
    # the earliest session's button is on the first screen, a thumb's size
    take = phone.locator(".slot-earliest button")
    box = take.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]
    assert box["height"] >= 44
    # a day's sessions sit side by side, each a button of a thumb's size
    first_day = phone.locator(".slot-day").first
    buttons = first_day.locator("button.slot")
    one, two = buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()
    assert one["y"] == two["y"]
    assert min(one["height"], two["height"]) >= 44
    # when she takes the earliest session
    take.click()
    phone.wait_for_url("**/janji-temu/*/")
    booking = Booking.objects.get()
    # then the proof shows the QR code, and a print button the script revealed
    assert phone.locator(".proof-qr img").is_visible()
    assert phone.get_by_role("button", name="Cetak").is_visible()
    assert booking.code[:4] in phone.locator(".proof-code").inner_text()
    # printing hides the site's navigation and the buttons
    phone.emulate_media(media="print")
    assert not phone.locator(".site-header").is_visible()
    assert not phone.locator(".proof-links").is_visible()
    assert phone.locator(".proof-qr img").is_visible()
