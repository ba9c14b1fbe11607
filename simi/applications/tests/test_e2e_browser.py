"""End to end in a real browser (Debian's Chromium via Playwright): a citizen
registers, applies for a passport with uploaded scans, the Liwa officer
verifies and interviews in the back office, the bank pays, the supervisor
approves and issues, and the citizen's receipt seal verifies at /verifikasi."""

from __future__ import annotations

import os
import re
import shutil
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from simi.accounts.mfa import code_at, current_step
from simi.accounts.models import TotpDevice, User
from simi.accounts.roles import Role
from simi.accounts.tests.factories import PASSWORD, UserFactory
from simi.applications.models import Application
from simi.applications.tests.files import pdf_bytes, png_bytes

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def browser_context(live_server: Any) -> Any:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )

        def new_page(*, phone: bool) -> Any:
            viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
            context = browser.new_context(locale="en-GB", viewport=viewport)
            page = context.new_page()
            page.base = live_server.url
            return page

        yield new_page
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def sign_in(page: Any, email: str, *, totp: bool = False) -> None:
    page.goto(page.base + "/akun/masuk/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()
    if totp:
        page.wait_for_url("**/akun/mfa/**")
        page.get_by_label("6-digit code").fill(code_at(SECRET, current_step()))
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url("**/kantor/**")


def staff(email: str, name: str, role: str, office: Any) -> User:
    user = UserFactory(email=email, full_name=name, role=role, office=office)
    TotpDevice.objects.create(user=user, secret=SECRET, confirmed_at=timezone.now())
    return user


def step(page: Any, button: str, **fields: str) -> None:
    for label, value in fields.items():
        page.get_by_label(label.replace("_", " ")).fill(value)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").count() == 1, page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_a_citizen_gets_a_passport_whose_receipt_seal_verifies(
    browser_context, catalogue, liwa, kotabumi, run_jobs, tmp_path
):
    officer = staff("petugas@example.test", "Petugas Uji", Role.FRONT_DESK, liwa)
    staff("kasi@example.test", "Kasi Uji", Role.SUPERVISOR, kotabumi)

    # --- the citizen registers on her phone and verifies her e-mail address
    citizen = browser_context(phone=True)
    citizen.goto(citizen.base + "/akun/daftar/")
    citizen.locator("#id_full_name").fill("Sinta Uji Coba")
    citizen.locator("#id_email").fill("sinta@example.test")
    citizen.locator("#id_password").fill(PASSWORD)
    citizen.locator("#id_password_confirm").fill(PASSWORD)
    citizen.locator("main").get_by_role("button", name="Register").click()
    citizen.wait_for_url("**/daftar/**")
    run_jobs()
    link = re.search(r"https?://\S+/akun/verifikasi-email/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    citizen.goto(citizen.base + "/akun/" + link.group(0).split("/akun/", 1)[1])
    sign_in(citizen, "sinta@example.test")

    # --- identity, a draft for a 5-year passport at Liwa, scans, submission
    citizen.goto(citizen.base + "/akun/identitas/")
    citizen.get_by_label("Indonesian citizen").check()
    citizen.get_by_label("Full name").fill("Sinta Uji Coba")
    assert citizen.get_by_label("Passport number", exact=True).is_hidden()  # the foreigner's fields
    citizen.get_by_label("NIK").fill("1804045708900001")  # sex and birth date come from it
    citizen.get_by_role("button", name="Save").click()
    citizen.goto(citizen.base + "/permohonan/baru/")
    citizen.locator("#id_service").select_option("passport-ordinary-5y")
    citizen.locator("#id_office").select_option("ulp-liwa")
    citizen.get_by_role("button", name="Save draft").click()
    citizen.wait_for_url(re.compile(r".*/permohonan/[0-9a-f-]{36}/$"))
    citizen.get_by_label("Family card (KK) number").fill("1804041203150007")
    citizen.get_by_role("button", name="Save details").click()
    citizen.wait_for_load_state()
    assert "The details are saved." in citizen.locator("main").inner_text()
    scans = {"e-ktp": png_bytes(), "kartu-keluarga": pdf_bytes(), "civil-record": pdf_bytes(2)}
    for code, content in scans.items():
        path = tmp_path / f"{code}.bin"
        path.write_bytes(content)
        citizen.locator(f"#file-{code}").set_input_files(str(path))
        citizen.locator(f"#doc-{code}").get_by_role("button", name="Upload").click()
        citizen.wait_for_load_state()
        assert "The file is uploaded." in citizen.locator("main").inner_text()
    # check the answers: submitting without the declaration is refused, focused on the summary
    citizen.get_by_role("link", name="Check your answers and submit").click()
    citizen.wait_for_url("**/periksa/")
    citizen.get_by_role("button", name="Submit application").click()
    citizen.wait_for_load_state()
    summary = citizen.locator("#error-summary")
    assert summary.is_visible()
    assert summary.evaluate("node => node === document.activeElement")
    summary.get_by_role("link").click()
    assert citizen.locator("#id_declaration").evaluate("node => node === document.activeElement")
    citizen.get_by_label("I declare that the information I have given is true").check()
    citizen.get_by_role("button", name="Submit application").click()
    citizen.wait_for_url("**/terkirim/")
    app = Application.objects.get()
    assert app.status == "registered"
    assert citizen.locator("#tracking-code").inner_text() == app.tracking_code_display
    assert "Expected ready by (service standard)" in citizen.locator("main").inner_text()

    # --- the Liwa officer: queue, verification, interview (the bill is issued)
    desk = browser_context(phone=False)
    sign_in(desk, officer.email, totp=True)
    desk.goto(desk.base + "/kantor/permohonan/")
    desk.get_by_role("link", name=app.tracking_code_display).click()
    assert "Sinta Uji Coba" in desk.locator("main").inner_text()
    step(desk, "Start verification")
    step(desk, "Verification complete")
    step(desk, "Record interview and issue the bill", Biometrics_enrolment_reference="BIO-LIWA-1")
    app.refresh_from_db()
    assert app.status == "awaiting_payment"

    # --- the bank pays the bill (its signed notification)
    from simi.payments.models import Bill

    call_command("simulate_payment", Bill.objects.get(reference=str(app.public_id)).billing_code)

    # --- the Kotabumi supervisor approves and issues with the booklet number
    chief = browser_context(phone=False)
    sign_in(chief, "kasi@example.test", totp=True)
    chief.goto(chief.base + f"/kantor/permohonan/{app.public_id}/")
    step(chief, "Approve")
    step(chief, "Issue", Document_number="X2468135")
    app.refresh_from_db()
    assert app.status == "issued"

    # --- the citizen sees the QR seal, downloads the receipt and checks the seal
    citizen.goto(citizen.base + f"/permohonan/{app.public_id}/")
    assert citizen.get_by_alt_text("QR seal of your document").is_visible()
    receipt = citizen.request.get(citizen.base + f"/permohonan/{app.public_id}/tanda-terima.pdf")
    assert receipt.headers["content-type"] == "application/pdf"
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(receipt.body())).pages[0].extract_text()
    assert app.tracking_code_display in text
    assert "X2468135" not in text  # the number is in the seal and the MRZ, not in clear
    citizen.get_by_text("Seal text (to check without a camera)").click()
    seal = citizen.locator("#seal-text").inner_text()
    citizen.goto(citizen.base + "/verifikasi/")
    citizen.get_by_label("Seal text").fill(seal)
    citizen.get_by_role("button", name="Check the seal").click()
    verdict = citizen.locator(".verdict").inner_text()
    assert "Valid: issued by SIMI and in force" in verdict
    assert "S. U. C." in verdict or "SUC" in verdict
