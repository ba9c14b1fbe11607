"""The citizen's whole journey on a 390x844 phone in a real browser (Debian's
Chromium via Playwright), watched on every page: no console error, no 5xx,
no sideways scroll and no serious or critical axe-core finding.

A new citizen registers, verifies her address, forgets and resets her
password, enters her identity, adds her daughter to her household, applies
for herself, is stopped at check-your-answers for a missing document,
uploads it, submits, books the earliest visit, pays the bill (the bank's
simulated notification), and gets her passport issued and downloads it; her
daughter's application, from the same account and asking for the parents'
papers, is refused and she reads why. The officers' steps go through the
workflow services: the back office has its own browser test
(simi/applications/tests/test_e2e_browser.py).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections

from simi.accounts.tests.factories import PASSWORD
from simi.applications import workflow
from simi.applications.models import Application, RejectReason
from simi.applications.tests.files import pdf_bytes, png_bytes
from simi.appointments.referencedata import current_models, load_schedule
from simi.core.models import Office
from simi.core.tests.accessibility import Watch
from simi.payments.models import Bill, PaymentMethod
from simi.payments.referencedata import load_payment_methods

CHROMIUM = os.environ.get("SIMI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
NEW_PASSWORD = "Lampung-Barat-2026-baru"
CHILD_NIK = "1804045506200003"  # a girl born 15 June 2020 (day + 40)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
]


@pytest.fixture
def phone(live_server: Any) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        # bypass_csp lets the test inject axe-core; the site's own scripts
        # still run as served.
        context = browser.new_context(locale="en-GB", viewport=PHONE, bypass_csp=True)
        page = context.new_page()
        page.base = live_server.url
        yield page
        browser.close()
        connections.close_all()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def mailed_link(pattern: str) -> str:
    match = re.search(rf"https?://[^/\s]+({pattern})", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def sign_in(page: Any, watch: Watch, email: str, password: str) -> None:
    page.goto(page.base + "/akun/masuk/")
    watch.check("sign in")
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def upload(page: Any, watch: Watch, tmp_path: Any, code: str, content: bytes) -> None:
    path = tmp_path / f"{code}.bin"
    path.write_bytes(content)
    page.locator(f"#file-{code}").set_input_files(str(path))
    page.locator(f"#doc-{code}").get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert "The file is uploaded." in page.locator("main").inner_text()
    watch.check(f"uploaded {code}")


def new_draft(page: Any, watch: Watch, applies_for: str) -> Application:
    page.goto(page.base + "/permohonan/baru/")
    watch.check("new application")
    page.get_by_label(applies_for, exact=True).check()
    page.locator("#id_service").select_option("passport-ordinary-5y")
    page.locator("#id_office").select_option("ulp-liwa")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r".*/permohonan/[0-9a-f-]{36}/$"))
    watch.check("draft")
    page.get_by_label("Family card (KK) number").fill("1804041203150007")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_load_state()
    watch.check("details saved")
    return Application.objects.order_by("-id").first()


def submit(page: Any, watch: Watch) -> None:
    page.get_by_role("link", name="Check your answers and submit").click()
    page.wait_for_url("**/periksa/")
    watch.check("check your answers")
    page.get_by_label("I declare that the information I have given is true").check()
    page.get_by_role("button", name="Submit application").click()
    page.wait_for_url("**/terkirim/")
    watch.check("submitted")


@pytest.mark.django_db(transaction=True)
def test_a_citizen_walks_the_whole_journey_on_a_phone(
    phone, catalogue, officer, supervisor, run_jobs, tmp_path
):
    load_schedule(current_models(), Office)  # the sessions the booking page offers
    load_payment_methods(PaymentMethod)  # reference data a transactional test may have lost
    watch = Watch(phone)

    # --- she registers and verifies her address
    phone.goto(phone.base + "/")
    watch.check("home")
    phone.goto(phone.base + "/akun/daftar/")
    watch.check("register")
    phone.locator("#id_full_name").fill("Sinta Uji Coba")
    phone.locator("#id_email").fill("sinta@example.test")
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("#id_password_confirm").fill(PASSWORD)
    phone.locator("main").get_by_role("button", name="Register").click()
    phone.wait_for_url("**/daftar/**")
    watch.check("registered")
    run_jobs()
    phone.goto(phone.base + mailed_link(r"/akun/verifikasi-email/\S+/"))
    watch.check("address verified")

    # --- she forgets her password and sets a new one from the mailed link
    phone.goto(phone.base + "/akun/masuk/")
    phone.get_by_role("link", name=re.compile("Forgot")).click()
    phone.wait_for_url("**/lupa-sandi/")
    watch.check("forgotten password")
    phone.get_by_label("E-mail address").fill("sinta@example.test")
    phone.locator("main").get_by_role("button").click()
    phone.wait_for_url("**/lupa-sandi/terkirim/")
    watch.check("reset sent")
    run_jobs()
    phone.goto(phone.base + mailed_link(r"/akun/sandi-baru/\S+/\S+/"))
    watch.check("new password")
    phone.locator("#id_password").fill(NEW_PASSWORD)
    phone.locator("#id_password_confirm").fill(NEW_PASSWORD)
    phone.locator("main").get_by_role("button").click()
    phone.wait_for_load_state()
    watch.check("password changed")
    sign_in(phone, watch, "sinta@example.test", NEW_PASSWORD)
    assert "/akun/masuk/" not in phone.url, phone.locator("main").inner_text()

    # --- her identity: a citizen's NIK gives sex and birth date
    phone.goto(phone.base + "/akun/identitas/")
    watch.check("identity")
    phone.get_by_label("Indonesian citizen").check()
    phone.get_by_label("Full name").fill("Sinta Uji Coba")
    phone.get_by_label("NIK").fill("1804045708900001")
    phone.get_by_role("button", name="Save").click()
    phone.wait_for_load_state()
    watch.check("identity saved")

    # --- a passport application: stopped at check-your-answers for a missing scan
    # --- she adds her daughter (6) to her household: the NIK gives the birth date
    phone.goto(phone.base + "/akun/keluarga/")
    watch.check("household, empty")
    phone.goto(phone.base + "/akun/keluarga/tambah/")
    watch.check("add a family member")
    phone.get_by_label("Indonesian citizen").check()
    phone.get_by_label("Full name").fill("Dewi Uji Coba")
    phone.get_by_label("NIK").fill(CHILD_NIK)
    phone.locator("#id_relationship").select_option("child")
    phone.locator("main").get_by_role("button", name=re.compile("Save|Add")).click()
    phone.wait_for_load_state()
    watch.check("household, one member")
    assert "Dewi Uji Coba" in phone.locator("main").inner_text()

    passport = new_draft(phone, watch, "Me (Sinta Uji Coba)")
    upload(phone, watch, tmp_path, "e-ktp", png_bytes())
    upload(phone, watch, tmp_path, "kartu-keluarga", pdf_bytes())
    phone.get_by_role("link", name="Check your answers and submit").click()
    phone.wait_for_url("**/periksa/")
    watch.check("check your answers, a scan missing")
    main = phone.locator("main").inner_text()
    assert "birth certificate" in main, main
    assert "not uploaded yet" in main
    phone.get_by_label("I declare that the information I have given is true").check()
    phone.get_by_role("button", name="Submit application").click()
    phone.wait_for_load_state()
    watch.check("submit refused")
    assert "/terkirim/" not in phone.url
    passport.refresh_from_db()
    assert passport.status == "draft"
    phone.goto(phone.base + f"/permohonan/{passport.public_id}/")
    upload(phone, watch, tmp_path, "civil-record", pdf_bytes(2))
    submit(phone, watch)
    passport.refresh_from_db()
    assert passport.status == "registered"

    # --- she books the earliest visit and keeps the proof
    phone.goto(phone.base + f"/permohonan/{passport.public_id}/")
    watch.check("submitted application")
    phone.goto(phone.base + f"/janji-temu/permohonan/{passport.public_id}/")
    watch.check("booking")
    phone.locator(".slot-earliest button").click()
    phone.wait_for_url("**/janji-temu/*/")
    watch.check("booking proof")

    # --- the officers verify and interview: the bill is issued
    workflow.start_verification(actor=officer, application=passport)
    workflow.complete_verification(actor=officer, application=passport)
    workflow.record_interview(actor=officer, application=passport, biometrics_reference="BIO-1")

    # --- she finds the bill from her application and pays it
    phone.goto(phone.base + f"/permohonan/{passport.public_id}/")
    watch.check("awaiting payment")
    phone.locator("main").get_by_role("link", name=re.compile("^Pay")).first.click()
    phone.wait_for_url("**/pembayaran/*/")
    watch.check("bill")
    bill = Bill.objects.get(reference=str(passport.public_id))
    call_command("simulate_payment", bill.billing_code)
    phone.reload()
    watch.check("bill paid")
    bill.refresh_from_db()
    assert bill.payment.ntpn in phone.locator("main").inner_text()

    # --- the supervisor approves and issues; she downloads her document
    workflow.approve(actor=supervisor, application=passport)
    workflow.issue(actor=supervisor, application=passport, document_number="X2468135")
    phone.goto(phone.base + f"/permohonan/{passport.public_id}/")
    watch.check("issued")
    assert phone.get_by_alt_text("QR seal of your document").is_visible()
    receipt = phone.request.get(phone.base + f"/permohonan/{passport.public_id}/tanda-terima.pdf")
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"

    # --- her daughter's passport asks for the parents' papers; it is refused
    second = new_draft(phone, watch, "Dewi Uji Coba (Child)")
    main = phone.locator("main").inner_text()
    assert "Dewi Uji Coba" in main
    assert "Marriage certificate or marriage book of the parents" in main
    for code, content in {
        "ktp-orang-tua": png_bytes(),
        "kartu-keluarga": pdf_bytes(),
        "akta-kelahiran": pdf_bytes(2),
        "akta-perkawinan-orang-tua": pdf_bytes(3),
    }.items():
        upload(phone, watch, tmp_path, code, content)
    submit(phone, watch)
    second.refresh_from_db()
    workflow.start_verification(actor=officer, application=second)
    workflow.reject(
        actor=supervisor,
        application=second,
        reason=RejectReason.DOCUMENTS_INVALID,
        note="Staff-only note",
    )
    phone.goto(phone.base + f"/permohonan/{second.public_id}/")
    watch.check("refused")
    phone.goto(phone.base + f"/permohonan/{second.public_id}/keputusan/")
    watch.check("refusal letter")
    letter = phone.locator("main").inner_text()
    assert "The documents are not valid or not genuine" in letter
    assert "Staff-only note" not in letter
    phone.goto(phone.base + "/permohonan/")
    watch.check("my applications")
    listed = phone.locator("main").inner_text()
    assert "Dewi Uji Coba" in listed

    assert len(watch.pages_checked) >= 25
    assert watch.problems == [], "\n".join(watch.problems)
