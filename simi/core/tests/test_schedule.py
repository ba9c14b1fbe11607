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


def _age(rows, days: float) -> None:
    from datetime import timedelta

    from django.utils import timezone

    then = timezone.now() - timedelta(days=days)
    for row in rows:
        DBTaskResult.objects.filter(pk=row.id).update(finished_at=then, enqueued_at=then)


@pytest.mark.django_db(transaction=True)
@override_settings(SIMI_PERIODIC_TASKS=EVERY_MINUTE)
def test_the_daily_purge_forgets_old_finished_jobs_and_slots_but_not_waiting_ones(run_jobs):
    from datetime import timedelta

    from django.utils import timezone

    from simi.core.tasks import ping, purge_job_history

    # given a job that succeeded 8 days ago, one that failed 8 days ago,
    # one that failed 31 days ago, one still queued, and a slot row of 8 days ago
    old_ok, old_failed, ancient_failed = (ping.enqueue(f"t{n}") for n in range(3))
    run_jobs()
    DBTaskResult.objects.filter(pk__in=[old_failed.id, ancient_failed.id]).update(status="FAILED")
    _age([old_ok, old_failed], days=8)
    _age([ancient_failed], days=31)
    enqueue_due(now=1_800_000_000)
    ScheduledRun.objects.update(enqueued_at=timezone.now() - timedelta(days=8))
    waiting = ping.enqueue("still waiting")
    # when the daily purge runs on the worker
    purge = purge_job_history.enqueue()
    run_jobs()
    # then the old success, the ancient failure and the old slot are gone;
    # the recent failure, the queued job's result and the purge itself stay
    left = set(DBTaskResult.objects.values_list("id", flat=True))
    assert str(old_ok.id) not in {str(pk) for pk in left}
    assert str(ancient_failed.id) not in {str(pk) for pk in left}
    assert {str(old_failed.id), str(waiting.id), str(purge.id)} <= {str(pk) for pk in left}
    assert (
        ScheduledRun.objects.filter(enqueued_at__lt=timezone.now() - timedelta(days=7)).count() == 0
    )
    assert DBTaskResult.objects.get(pk=purge.id).return_value == {
        "jobs": 1,
        "failed_jobs": 1,
        "scheduled_runs": 1,
    }


def test_a_slot_row_outlives_two_periods_of_the_longest_periodic_job():
    from datetime import timedelta

    from django.utils import timezone

    from simi.core.leases import purge_job_history

    # given a weekly periodic job and its slot row enqueued 8 days ago
    weekly = [("test.weekly", "simi.core.tasks.ping_periodic", 7 * 86400)]
    with override_settings(SIMI_PERIODIC_TASKS=weekly):
        enqueue_due(now=1_800_000_000)
        ScheduledRun.objects.update(enqueued_at=timezone.now() - timedelta(days=8))
        # when the purge runs with the 7-day history
        purged = purge_job_history()
    # then the row stays: its week may still be current for another worker
    assert purged["scheduled_runs"] == 0
    assert ScheduledRun.objects.count() == 1
