"""/verifikasi/ in a real browser (Debian's Chromium via Playwright), phone-sized:
a camera photo over the upload limit is made smaller on the phone, sent, read
and answered valid; the page passes axe and does not scroll sideways; the
technical details stay folded; "Take a photo" is offered on touch screens only."""

from __future__ import annotations

import io
import os
import shutil
from typing import Any

import pytest
from django.db import connections
from PIL import Image

from simi.core.tests.accessibility import Watch
from simi.core.uploads import max_upload_bytes
from simi.issuance.printing import document_seal_text
from simi.issuance.tests.photos import qr_png

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def browser_context(live_server: Any) -> Any:
    """``browser_context(touch=True)``: a new English page, phone-sized with a
    touch screen, or desktop-sized without one."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def open_page(*, touch: bool) -> Any:
            viewport = {"width": 390, "height": 844} if touch else {"width": 1280, "height": 900}
            # bypass_csp: axe is injected by the test (the page itself has no
            # inline script, test_pages checks that)
            context = browser.new_context(
                locale="en-GB", viewport=viewport, has_touch=touch, is_mobile=touch, bypass_csp=True
            )
            language = {"name": "django_language", "value": "en", "url": live_server.url}
            context.add_cookies([language])
            page = context.new_page()
            page.base = live_server.url
            return page

        yield open_page
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def camera_photo(text: str, path: Any) -> int:
    """A 4000x3000 camera JPEG of the QR code on grain that does not compress."""
    scene = Image.frombytes("L", (4000, 3000), os.urandom(4000 * 3000)).convert("RGB")
    code = Image.open(io.BytesIO(qr_png(text, scale=14))).convert("RGB")
    scene.paste(code, (1400, 900))
    scene.save(path, format="JPEG", quality=95)
    return path.stat().st_size


@pytest.mark.django_db(transaction=True)
def test_a_phone_photo_over_the_limit_is_made_smaller_and_answered_valid(
    browser_context, issue, tmp_path
):
    # given an issued document and a camera photo of its QR code over the limit
    document = issue()
    photo = tmp_path / "IMG_0001.jpg"
    assert camera_photo(document_seal_text(document), photo) > max_upload_bytes()
    page = browser_context(touch=True)
    watch = Watch(page)
    page.goto(page.base + "/verifikasi/")
    watch.check("the verification page on a phone")
    # then the phone is offered the camera, and the technical details are folded
    assert page.get_by_label("Take a photo of the QR code").is_visible()
    assert page.locator("#technical-details").get_attribute("open") is None
    assert not page.get_by_text("ECDSA P-256", exact=False).is_visible()
    # when the photo is chosen
    page.get_by_label("Choose a photo of the QR code").set_input_files(str(photo))
    button = page.get_by_role("button", name="Check the seal")
    page.wait_for_function("() => !document.querySelector('#verify-form [type=submit]').disabled")
    sent = page.evaluate("() => document.getElementById('id_photo').files[0].size")
    assert sent < max_upload_bytes()
    button.click()
    # then the page answers valid, with what to compare
    verdict = page.locator(".verdict")
    verdict.wait_for()
    text = verdict.inner_text()
    assert "Valid: issued by SIMI and in force" in text
    assert "AME" in text
    watch.check("the verdict on a phone")
    assert watch.problems == []


@pytest.mark.django_db(transaction=True)
def test_a_desktop_browser_is_offered_one_file_field(browser_context):
    page = browser_context(touch=False)
    page.goto(page.base + "/verifikasi/")
    assert page.get_by_label("Choose a photo of the QR code").is_visible()
    assert not page.locator("#id_photo_camera").is_visible()
    page.locator("#technical-details summary").click()
    assert page.get_by_text("ECDSA P-256", exact=False).is_visible()
