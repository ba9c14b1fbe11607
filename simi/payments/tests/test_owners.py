"""Payments is generic: a bill's owner is data, and the owner's handlers
decide what a payment or an expiry means. These tests use an owner that is
no SIMI domain at all (recorders in this module)."""

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict
from simi.notifications.models import Notification
from simi.payments.models import Bill, BillStatus
from simi.payments.owners import Expiry
from simi.payments.services import bill_cancel, bill_issue, bills_expire_due

pytestmark = pytest.mark.django_db

PURPOSE = "overstay_charge"
SEEN: list[tuple[str, str]] = []
ANSWER: list[object] = []


def told_paid(*, bill: Bill) -> None:
    SEEN.append(("paid", bill.reference))


def told_expired(*, bill: Bill) -> None:
    SEEN.append(("expired", bill.reference))


def answer_on_expiry(*, bill: Bill) -> object:
    SEEN.append(("on_expiry", bill.reference))
    return ANSWER[0]


@pytest.fixture
def owner(settings):
    """An owner with paid and expired handlers; ``on_expiry`` when asked."""
    SEEN.clear()
    ANSWER.clear()
    settings.SIMI_BILL_HANDLERS = {
        PURPOSE: {"paid": f"{__name__}.told_paid", "expired": f"{__name__}.told_expired"}
    }

    def answering(answer: object) -> None:
        ANSWER.append(answer)
        settings.SIMI_BILL_HANDLERS = {
            PURPOSE: {
                **settings.SIMI_BILL_HANDLERS[PURPOSE],
                "on_expiry": f"{__name__}.answer_on_expiry",
            }
        }

    return answering


def issue(liwa, payer, *, reference="owner-1", **overrides):
    values = {
        "actor": None,
        "purpose": PURPOSE,
        "reference": reference,
        "office": liwa,
        "payer": payer,
        "amount": 150_000,
        "lines": [
            {
                "component": "",
                "label_id": "Biaya uji",
                "label_en": "Test charge",
                "amount": 150_000,
                "legal_basis": "Test basis",
            }
        ],
        "valid_for": timedelta(days=1),
        "owner_code": "OWN-1",
        "owner_label_id": "Pemilik uji",
        "owner_label_en": "Test owner",
    }
    values.update(overrides)
    return bill_issue(**values)


def test_it_issues_a_bill_for_an_owner_named_by_purpose_and_reference(owner, liwa, applicant):
    # when an owner issues a bill
    bill = issue(liwa, applicant)
    # then the bill names its owner and what the payer knows it by
    assert (bill.purpose, bill.reference, bill.owner_code) == (PURPOSE, "owner-1", "OWN-1")
    assert bill.expires_at - bill.issued_at == timedelta(days=1)
    # and it is audited with the owner's reference, and the payer is told the code
    entry = AuditEntry.objects.get(action="payments.bill_issued")
    assert entry.data["owner"] == "owner-1"
    notice = Notification.objects.get(key=f"bill_issued:{bill.public_id}")
    assert notice.params["tracking_code"] == "OWN-1"
    # and issuing again gives the same unpaid bill
    assert issue(liwa, applicant).pk == bill.pk
    # and another owner gets its own bill
    assert issue(liwa, applicant, reference="owner-2").pk != bill.pk


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"purpose": "unknown"}, "charge_purpose_unknown"),
        ({"reference": ""}, "bill_owner_invalid"),
        ({"amount": 0, "lines": []}, "nothing_to_pay"),
        ({"amount": 100_000}, "charge_lines_mismatch"),
        ({"valid_for": timedelta(seconds=30)}, "charge_expiry_invalid"),
    ],
)
def test_it_refuses_a_bill_the_owner_got_wrong(owner, liwa, applicant, overrides, code):
    with pytest.raises(Conflict) as caught:
        issue(liwa, applicant, **overrides)
    assert caught.value.code == code
    assert not Bill.objects.exists()


def test_it_cancels_the_owners_unpaid_bill(owner, liwa, applicant):
    bill = issue(liwa, applicant)
    assert bill_cancel(actor=None, purpose=PURPOSE, reference="owner-1").pk == bill.pk
    bill.refresh_from_db()
    assert bill.status == BillStatus.CANCELLED
    assert bill_cancel(actor=None, purpose=PURPOSE, reference="owner-1") is None


def test_an_owner_without_an_expiry_answer_gets_the_expired_bill_handed_over(
    owner, liwa, applicant
):
    bill = issue(liwa, applicant)
    run = bills_expire_due(now=bill.expires_at + timedelta(seconds=1))
    assert (run.expired, run.handed_over, run.reissued) == (1, 1, 0)
    assert SEEN == [("expired", "owner-1")]
    assert Notification.objects.filter(key=f"bill_expired:{bill.public_id}").exists()


def test_an_owner_can_have_its_expired_bill_reissued(owner, liwa, applicant):
    # given an owner that answers "reissue for 3 days"
    owner(Expiry.reissue(timedelta(days=3)))
    bill = issue(liwa, applicant)
    # when the bill expires
    now = bill.expires_at + timedelta(seconds=1)
    run = bills_expire_due(now=now)
    # then a new code for the same owner, amount, lines and label, valid 3 days
    new = Bill.objects.get(replaces=bill)
    assert run.reissued == 1
    assert (new.reference, new.amount, new.lines) == (bill.reference, bill.amount, bill.lines)
    assert (new.owner_code, new.owner_label_en) == ("OWN-1", "Test owner")
    assert new.expires_at == now + timedelta(days=3)
    # and the owner was asked, not handed the bill over
    assert SEEN == [("on_expiry", "owner-1")]


def test_an_owner_can_let_its_expired_bill_lapse(owner, liwa, applicant):
    owner(Expiry.lapse())
    bill = issue(liwa, applicant)
    run = bills_expire_due(now=bill.expires_at + timedelta(seconds=1))
    assert (run.expired, run.handed_over, run.reissued) == (1, 0, 0)
    assert SEEN == [("on_expiry", "owner-1")]
    assert not Notification.objects.filter(key=f"bill_expired:{bill.public_id}").exists()


def test_a_wrong_expiry_answer_leaves_the_bill_unpaid(owner, liwa, applicant):
    owner("reissue")
    bill = issue(liwa, applicant)
    with pytest.raises(ImproperlyConfigured):
        bills_expire_due(now=bill.expires_at + timedelta(seconds=1))
    bill.refresh_from_db()
    assert bill.status == BillStatus.UNPAID


def test_no_module_of_payments_imports_a_domain_above_it():
    # Payments sits below applications, catalog-independent; it reaches its
    # owners only through the handlers named in settings.
    above = ("simi.applications", "simi.catalog", "simi.enforcement", "simi.oversight")
    root = Path(__file__).resolve().parents[1]
    found = []
    for path in root.rglob("*.py"):
        if "tests" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            found += [f"{path.name}: {name}" for name in names if name.startswith(above)]
    assert found == []
