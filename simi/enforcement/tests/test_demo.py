import pytest

from simi.accounts.demo import demo_seed
from simi.enforcement.demo import seed_enforcement_demo
from simi.enforcement.models import ActionStatus, AdministrativeAction, Case
from simi.oversight.demo import seed_oversight_demo
from simi.payments.models import Bill

pytestmark = pytest.mark.django_db


def test_the_demo_opens_cases_with_a_waiting_and_a_billed_charge(reference_data):
    demo_seed(applicants=0)
    seed_oversight_demo(foreigners=80)
    result = seed_enforcement_demo()
    assert result["created"] > 0
    assert Case.objects.filter(is_demo=True).count() == result["cases"]
    waiting = AdministrativeAction.objects.get(status=ActionStatus.PROPOSED)
    billed = AdministrativeAction.objects.get(status=ActionStatus.APPROVED)
    assert str(waiting.case.public_id) == result["proposed"]
    bill = Bill.objects.get(purpose="overstay_charge")
    assert billed.bill == bill
    assert bill.billing_code == result["billed"]
    # a second run changes nothing
    again = seed_enforcement_demo()
    assert again["created"] == 0
    assert AdministrativeAction.objects.count() == 2
