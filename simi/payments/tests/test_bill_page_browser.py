"""The bill page in a real browser (Chromium via Playwright): the copy button
puts the billing code on the clipboard and the countdown runs; without
JavaScript the code and the absolute expiry are still there."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.db import connections

from simi.applications.tests.test_e2e_browser import CHROMIUM, sign_in
from simi.payments.models import Bill, PaymentMethod
from simi.payments.referencedata import load_payment_methods

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def browser(live_server: Any) -> Any:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def open_bill(browser: Any, live_server: Any, bill: Bill, **context: Any) -> Any:
    page = browser.new_context(locale="en-GB", **context).new_page()
    page.base = live_server.url
    sign_in(page, "ani@example.test")
    page.goto(f"{live_server.url}/pembayaran/{bill.public_id}/")
    return page


def test_the_copy_button_copies_the_code_and_the_countdown_runs(bill, browser, live_server):
    from playwright.sync_api import expect

    load_payment_methods(PaymentMethod)  # a transactional test may run after a flush
    page = open_bill(browser, live_server, bill, permissions=["clipboard-read", "clipboard-write"])
    # then the countdown shows the time left, and it moves
    countdown = page.locator(".bill-countdown")
    expect(countdown).to_have_text(re.compile(r"^\d\d:\d\d:\d\d left$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first, timeout=5000)
    # when Ani presses "Copy code", the 15 digits (no spaces) are on the clipboard
    page.get_by_role("button", name="Copy code").click()
    page.locator(".bill-copy-status", has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == bill.billing_code
    # and the ways to pay open one by one
    page.get_by_text("Mobile banking", exact=True).click()
    expect(page.get_by_text("Open your bank's mobile banking app and sign in.")).to_be_visible()


def test_without_javascript_the_code_and_the_expiry_are_still_there(bill, browser, live_server):
    page = open_bill(browser, live_server, bill, java_script_enabled=False)
    assert page.locator("#billing-code").inner_text().replace(" ", "") == bill.billing_code
    assert not page.get_by_role("button", name="Copy code").is_visible()
    assert not page.locator(".bill-countdown").is_visible()
    assert page.locator("time").first.inner_text().strip()
