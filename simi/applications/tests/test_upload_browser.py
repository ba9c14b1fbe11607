"""In a real browser (Debian's Chromium via Playwright): a phone photo over
the limit is made smaller on the device and arrives under it, a PDF over the
limit and a file of another type are refused before anything is sent, and
the identity form shows only the chosen kind's fields."""

from __future__ import annotations

import io
import os
import shutil
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from simi.applications.documents import document_content
from simi.applications.models import ApplicationDocument
from simi.core.uploads import max_upload_bytes

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def phone(live_server: Any) -> Any:
    """A phone-sized page; ``phone(user)`` signs the user in (their session cookie)."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def open_as(user: Any) -> Any:
            client = Client()
            client.force_login(user)
            context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                        "url": live_server.url,
                    },
                    {"name": "django_language", "value": "en", "url": live_server.url},
                ]
            )
            page = context.new_page()
            page.base = live_server.url
            return page

        yield open_as
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def noise_photo(path: Any, size: tuple[int, int] = (4000, 3000)) -> int:
    """A camera-sized JPEG that does not compress: over the 5 MB limit."""
    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    image.save(path, format="JPEG", quality=95)
    return path.stat().st_size


@pytest.mark.django_db(transaction=True)
def test_a_large_phone_photo_is_made_smaller_on_the_device_and_stored(phone, ani, draft, tmp_path):
    # given a 4000x3000 photo well over the limit
    photo = tmp_path / "foto-ktp.jpg"
    assert noise_photo(photo) > max_upload_bytes()
    page = phone(ani)
    page.goto(page.base + f"/permohonan/{draft.public_id}/")
    document = page.locator("#doc-e-ktp")
    # when the applicant chooses it for the e-KTP
    page.locator("#file-e-ktp").set_input_files(str(photo))
    # then the page says it was reduced, from what to what
    note = document.locator("[data-upload-note]")
    note.filter(has_text="reduced from").wait_for()
    assert note.inner_text().startswith("foto-ktp.jpg: reduced from")
    # and what arrives is a JPEG under the limit, at most 2000 px on its long side
    document.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert "The file is uploaded." in page.locator("main").inner_text()
    stored = ApplicationDocument.objects.get()
    assert stored.content_type == "image/jpeg"
    assert stored.size < max_upload_bytes()
    from PIL import Image

    with Image.open(io.BytesIO(document_content(actor=ani, document=stored))) as image:
        assert max(image.size) == 2000


@pytest.mark.django_db(transaction=True)
def test_a_large_pdf_and_a_wrong_type_are_refused_before_sending(phone, ani, draft, tmp_path):
    from playwright.sync_api import expect

    page = phone(ani)
    page.goto(page.base + f"/permohonan/{draft.public_id}/")
    card = page.locator("#doc-kartu-keluarga")
    # when a 6 MB PDF is chosen for the family card
    big = tmp_path / "kk-scan.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 6 * 1024 * 1024)
    page.locator("#file-kartu-keluarga").set_input_files(str(big))
    # then the message is beside it, naming the file and both sizes, and it is not kept
    error = card.locator("[data-upload-error]")
    # (the check reads the file asynchronously: expect() waits for the message)
    expect(error).to_have_text(
        "kk-scan.pdf: The file is 6.0 MB; the limit is 5.0 MB. "
        "Scan at a lower resolution or compress it."
    )
    assert page.locator("#file-kartu-keluarga").evaluate("input => input.files.length") == 0
    # and a text file is refused for its type
    text = tmp_path / "notes.txt"
    text.write_text("not a scan")
    page.locator("#file-kartu-keluarga").set_input_files(str(text))
    expect(error).to_have_text(
        "notes.txt: Upload a PDF, JPEG or PNG file. This file is none of these."
    )
    # and the form is not sent without a file
    card.get_by_role("button", name="Upload").click()
    expect(error).to_have_text("Choose a file or take a photo first.")
    assert not ApplicationDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_identity_form_shows_only_the_chosen_kinds_fields(phone, applicant):
    page = phone(applicant)
    page.goto(page.base + "/akun/identitas/")
    # before a choice, neither group; then only the chosen one
    assert page.get_by_label("NIK", exact=True).is_hidden()
    assert page.get_by_label("Passport number", exact=True).is_hidden()
    page.get_by_label("Foreign national", exact=True).check()
    assert page.get_by_label("Passport number", exact=True).is_visible()
    assert page.get_by_label("Nationality", exact=True).is_visible()
    assert page.get_by_label("NIK", exact=True).is_hidden()
    page.get_by_label("Indonesian citizen", exact=True).check()
    assert page.get_by_label("NIK", exact=True).is_visible()
    assert page.get_by_label("Birth date", exact=True).is_hidden()
