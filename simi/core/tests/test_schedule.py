import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from simi.core.models import ScheduledRun
from simi.core.schedule import enqueue_due

pytestmark = pytest.mark.django_db

EVERY_MINUTE = [("test.ping", "simi.core.tasks.ping_periodic", 60)]


@override_settings(SIMI_PERIODIC_TASKS=EVERY_MINUTE)
def test_a_periodic_job_is_enqueued_once_per_period_however_many_workers_ask():
    # given three workers ticking in the same minute
    results = [
        enqueue_due(now=1_800_000_010),
        enqueue_due(now=1_800_000_030),
        enqueue_due(now=1_800_000_059),
    ]
    # then exactly one enqueued it
    assert results == [["test.ping"], [], []]
    assert DBTaskResult.objects.count() == 1
    # and the next minute gets its own run
    assert enqueue_due(now=1_800_000_061) == ["test.ping"]
    assert ScheduledRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
@override_settings(SIMI_PERIODIC_TASKS=EVERY_MINUTE)
def test_the_enqueued_periodic_job_runs_on_the_worker(run_jobs):
    enqueue_due(now=1_800_000_000)
    run_jobs()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_configured_periodic_jobs_point_at_real_tasks():
    from django.conf import settings
    from django.utils.module_loading import import_string

    for _name, path, every in settings.SIMI_PERIODIC_TASKS:
        assert hasattr(import_string(path), "enqueue")
        assert every >= 60
