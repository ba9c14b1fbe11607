"""The portal in a real browser: Debian's Chromium driven by Playwright."""

import os
import re
import shutil

import pytest
from django.db import connections

from simi.accounts.mfa import code_at, current_step
from simi.accounts.models import TotpDevice
from simi.accounts.tests.factories import PASSWORD, UserFactory

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM), reason="Chromium is not installed (apt-get install chromium)"
    ),
]


@pytest.fixture
def page(live_server):
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls made by the
    # test itself are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
        tab = context.new_page()
        tab.base = live_server.url
        yield tab
        context.close()
        browser.close()
        # ORM calls made while Playwright's loop ran used their own connection.
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.mark.django_db(transaction=True)
def test_a_phone_user_reads_the_portal_in_indonesian_and_switches_to_english(page):
    page.goto(page.base + "/")
    assert page.locator("h1").inner_text() == "Layanan keimigrasian untuk Lampung Barat"
    # the design system's stylesheet is applied (served by SIMI, not a CDN)
    header = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    assert page.evaluate(header) == "rgb(11, 79, 108)"
    # the first Tab lands on the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.get_by_role("button", name="EN English").click()
    assert page.locator("h1").inner_text() == "Immigration services for Lampung Barat"
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.django_db(transaction=True)
def test_registration_errors_show_next_to_their_fields(page):
    page.goto(page.base + "/akun/daftar/")
    page.get_by_label("Alamat email").fill("bukan-email")
    page.get_by_role("button", name="Daftar").last.click()
    assert page.locator("#form-errors").is_visible()
    assert page.locator("#id_email_error").inner_text() == "Masukkan alamat email yang valid."
    # the summary has the focus (a screen reader reads it first) and leads to the field
    assert page.evaluate("document.activeElement.id") == "form-errors"
    page.locator("#form-errors").get_by_role("link", name=re.compile("Alamat email")).click()
    assert page.evaluate("document.activeElement.id") == "id_email"


@pytest.mark.django_db(transaction=True)
def test_an_officer_signs_in_with_a_second_factor_and_reaches_the_back_office(page, liwa):
    officer = UserFactory(
        email="olivia@example.test", full_name="Olivia Officer", role="front_desk", office=liwa
    )
    page.goto(page.base + "/akun/masuk/")
    page.get_by_label("Alamat email").fill("olivia@example.test")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()
    # first sign-in: the authenticator is set up from the key shown on the page
    page.wait_for_url("**/akun/mfa/**")
    assert page.get_by_alt_text("Kode QR untuk aplikasi autentikator Anda").is_visible()
    secret = TotpDevice.objects.get(user=officer).secret
    page.get_by_label("Kode 6 digit").fill(code_at(secret, current_step()))
    page.get_by_role("button", name="Konfirmasi").click()
    page.wait_for_url("**/kantor/")
    assert "Olivia Officer" in page.locator("main").inner_text()
