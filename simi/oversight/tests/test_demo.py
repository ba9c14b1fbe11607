import time

import pytest

from simi.oversight.demo import seed_oversight_demo
from simi.oversight.lodging.selectors import places_stopped_reporting
from simi.oversight.models import Foreigner, LodgingReport, PermitStatus, StayPermit, Violation

pytestmark = pytest.mark.django_db


def test_the_demo_is_a_living_synthetic_picture_made_once(kotabumi, liwa, oversight):
    started = time.monotonic()
    result = seed_oversight_demo()
    elapsed = time.monotonic() - started
    assert result["foreigners"] == 300
    assert elapsed < 30  # about 10 s on a laptop with SQLite
    assert not Foreigner.objects.filter(is_demo=False).exists()
    statuses = set(StayPermit.objects.values_list("status", flat=True))
    assert statuses == set(PermitStatus.values)
    overstays = Violation.objects.filter(kind="overstay")
    assert overstays.filter(overstay_days__lte=60).exists()
    assert overstays.filter(escalation=1).exists()
    assert LodgingReport.objects.filter(is_late=True).exists()
    assert places_stopped_reporting(actor=oversight)
    # running it again changes nothing
    assert seed_oversight_demo()["created"] == 0
    assert Foreigner.objects.count() == 300
