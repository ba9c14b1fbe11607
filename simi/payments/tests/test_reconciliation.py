"""Bank-statement reconciliation: the report, bad files, scoping, the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import translation

from simi.applications.billing import application_bill_issue
from simi.audit.models import AuditEntry
from simi.core.errors import PermissionDenied, ValidationFailed
from simi.payments import billingcodes
from simi.payments.models import Payment, Reconciliation, ReconciliationLine
from simi.payments.reconciliation import reconciliation_import
from simi.payments.tests.conftest import to_awaiting_payment

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/reconciliations"
HEADER = "date,billing_code,amount,reference\n"


@pytest.fixture
def paid(bill, channel):
    call_command("simulate_payment", bill.billing_code, "--reference", "BNI-777")
    return bill


@pytest.fixture
def unpaid_bill(budi, officer):
    from simi.applications.services import application_create
    from simi.applications.tests.complete import submit_complete

    app = submit_complete(
        actor=budi,
        application=application_create(
            actor=budi, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    return application_bill_issue(actor=officer, application=to_awaiting_payment(app))


def unknown_code():
    payload = "9" * 14
    return payload + billingcodes.check_digit(payload)


def statement(paid, unpaid_bill):
    return (
        HEADER
        + f"2026-03-02,{paid.billing_code},350000,BNI-777\n"  # matched
        + f"2026-03-02,{unknown_code()},350000,BNI-778\n"  # unknown code
        + f"2026-03-02,{unpaid_bill.billing_code},350000,BNI-779\n"  # not paid in SIMI
        + f"2026-03-02,{paid.billing_code},350.000,BNI-777\n"  # same reference again
        + f"2026-03-02,{paid.billing_code},300000,BNI-780\n"  # amount differs
        + f"2026-03-02,{paid.billing_code},350000,BNI-781\n"  # another reference
    )


def test_the_report_sorts_lines_into_matched_unmatched_and_duplicate(paid, unpaid_bill, supervisor):
    content = statement(paid, unpaid_bill).encode()
    report, created = reconciliation_import(
        actor=supervisor, file_name="bni-2026-03-02.csv", content=content
    )
    assert created
    assert (report.total_lines, report.matched_count) == (6, 1)
    assert (report.unmatched_count, report.duplicate_count) == (4, 1)
    reasons = dict(report.lines.values_list("line_number", "reason"))
    assert reasons == {
        2: "ok",
        3: "unknown_code",
        4: "not_paid",
        5: "duplicate_in_file",
        6: "amount_differs",
        7: "reference_differs",
    }
    assert AuditEntry.objects.filter(action="payments.reconciliation_imported").count() == 1


def test_a_reference_reconciled_before_is_a_duplicate(paid, supervisor):
    content = (HEADER + f"2026-03-02,{paid.billing_code},350000,BNI-777\n").encode()
    reconciliation_import(actor=supervisor, file_name="a.csv", content=content)
    second, _ = reconciliation_import(actor=supervisor, file_name="a-again.csv", content=content)
    assert (second.matched_count, second.duplicate_count) == (0, 1)
    assert second.lines.get().reason == "already_reconciled"


def test_bad_lines_are_named_and_nothing_is_written(paid, supervisor):
    content = (
        HEADER
        + f"2026-03-02,{paid.billing_code},350000,BNI-777\n"
        + f"02/03/2026,{paid.billing_code},350000,BNI-778\n"
        + f"2026-03-02,{paid.billing_code},tiga ratus,BNI-779\n"
        + f"2026-03-02,{paid.billing_code},350000\n"
    ).encode()
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        reconciliation_import(actor=supervisor, file_name="bad.csv", content=content)
    with translation.override("en"):
        messages = [str(m) for m in caught.value.fields["file"]]
    assert messages[0].startswith("Line 3:")
    assert "date" in messages[0]
    assert messages[1].startswith("Line 4:")
    assert "amount" in messages[1]
    assert messages[2].startswith("Line 5:")
    assert not Reconciliation.objects.exists()
    assert not ReconciliationLine.objects.exists()


def test_a_utf8_file_with_bom_and_windows_line_ends_is_read(paid, supervisor):
    content = ("\ufeff" + HEADER + f"2026-03-02,{paid.billing_code},350000,BNI-777\n").replace(
        "\n", "\r\n"
    )
    report, _ = reconciliation_import(
        actor=supervisor, file_name="bom.csv", content=content.encode("utf-8")
    )
    assert report.matched_count == 1


def test_another_encoding_is_refused_with_a_clear_message(paid, supervisor):
    content = (HEADER + f"2026-03-02,{paid.billing_code},350000,Pembayaran-é\n").encode("latin-1")
    with pytest.raises(ValidationFailed) as caught:
        reconciliation_import(actor=supervisor, file_name="latin1.csv", content=content)
    assert caught.value.code == "file_not_utf8"
    assert "UTF-8" in str(caught.value.fields["file"][0])


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "file_empty"),
        (b"tanggal;kode;jumlah;ref\n", "header_invalid"),
        (HEADER.encode(), "file_empty"),
        (b"x" * (5 * 1024 * 1024 + 1), "file_too_large"),
    ],
)
def test_unusable_files_are_refused(supervisor, content, code):
    with pytest.raises(ValidationFailed) as caught:
        reconciliation_import(actor=supervisor, file_name="x.csv", content=content)
    assert caught.value.code == code


def test_only_reconcilers_may_import(officer, applicant):
    for actor in (officer, applicant):
        with pytest.raises(PermissionDenied):
            reconciliation_import(actor=actor, file_name="x.csv", content=HEADER.encode())


def test_bills_of_another_office_are_unknown_to_an_outsider(paid, outsider):
    content = (HEADER + f"2026-03-02,{paid.billing_code},350000,BNI-777\n").encode()
    report, _ = reconciliation_import(actor=outsider, file_name="x.csv", content=content)
    assert report.lines.get().reason == "unknown_code"
    assert report.office == outsider.office


def upload(client, content, name="statement.csv", **headers):
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(URL, {"file": file}, **headers)


def test_the_api_imports_a_statement_and_returns_the_report(
    paid, unpaid_bill, supervisor, client_for
):
    client = client_for(supervisor)
    response = upload(
        client, statement(paid, unpaid_bill).encode(), HTTP_IDEMPOTENCY_KEY="stmt-2026-03-02"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["matched"], body["unmatched"], body["duplicate"]) == (1, 4, 1)
    assert [line["line"] for line in body["matched_lines"]] == [2]
    assert {line["reason"] for line in body["unmatched_lines"]} == {
        "unknown_code",
        "not_paid",
        "amount_differs",
        "reference_differs",
    }
    assert body["duplicate_lines"][0]["reason"] == "duplicate_in_file"
    # and a retry with the same key gets the same report, not a second import
    again = upload(
        client, statement(paid, unpaid_bill).encode(), HTTP_IDEMPOTENCY_KEY="stmt-2026-03-02"
    )
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Reconciliation.objects.count() == 1
    # and the same key with another file is refused
    other = upload(
        client, HEADER.encode() + b"2026-03-02,1,1,X\n", HTTP_IDEMPOTENCY_KEY="stmt-2026-03-02"
    )
    assert other.status_code == 422
    # and the report can be read again
    read = client.get(f"{URL}/{body['id']}")
    assert read.status_code == 200
    assert read.json()["matched"] == 1


def test_the_api_names_bad_lines_in_the_error_envelope(paid, supervisor, client_for):
    content = (HEADER + f"2026-13-45,{paid.billing_code},350000,BNI-777\n").encode()
    response = upload(client_for(supervisor), content, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "statement_invalid"
    assert error["fields"]["file"][0].startswith("Line 2:")


@pytest.mark.parametrize("persona", ["officer", "applicant", "oversight"])
def test_the_api_refuses_who_may_not_reconcile(request, client_for, persona):
    response = upload(client_for(request.getfixturevalue(persona)), HEADER.encode())
    assert response.status_code == 403


def test_a_report_of_another_office_answers_404(paid, supervisor, outsider, client_for):
    content = (HEADER + f"2026-03-02,{paid.billing_code},350000,BNI-777\n").encode()
    report, _ = reconciliation_import(actor=supervisor, file_name="x.csv", content=content)
    assert client_for(outsider).get(f"{URL}/{report.public_id}").status_code == 404
    page = client_for(outsider).get(f"/kantor/pembayaran/rekonsiliasi/{report.public_id}/")
    assert page.status_code == 404


def test_the_back_office_page_imports_and_shows_the_report(
    paid, unpaid_bill, supervisor, client_for
):
    client = client_for(supervisor)
    page = client.get("/kantor/pembayaran/rekonsiliasi/")
    assert page.status_code == 200
    file = SimpleUploadedFile("bni.csv", statement(paid, unpaid_bill).encode(), "text/csv")
    response = client.post("/kantor/pembayaran/rekonsiliasi/", {"file": file}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bni.csv" in html
    assert "BNI-779" in html
    assert "BNI-781" in html
    assert Payment.objects.count() == 1


def test_the_back_office_page_shows_bad_lines_on_the_form(paid, supervisor, client_for):
    content = (HEADER + f"2026-03-02,{paid.billing_code},banyak,BNI-777\n").encode()
    file = SimpleUploadedFile("bad.csv", content, "text/csv")
    response = client_for(supervisor).post("/kantor/pembayaran/rekonsiliasi/", {"file": file})
    assert response.status_code == 422
    # in Indonesian, the default language
    assert "Baris 2: jumlahnya bukan bilangan bulat Rupiah" in response.content.decode()
    assert not Reconciliation.objects.exists()


def test_the_back_office_page_needs_the_second_factor_and_the_capability(
    supervisor, officer, client_for
):
    assert client_for(officer).get("/kantor/pembayaran/rekonsiliasi/").status_code == 403
    without_mfa = client_for(supervisor, mfa=False).get("/kantor/pembayaran/rekonsiliasi/")
    assert without_mfa.status_code == 302
    assert "/akun/mfa/" in without_mfa["Location"]
