"""/metrics through HTTP: hidden without the token, and what it shows with it."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from simi.core.checks import metrics_token_strong
from simi.core.tasks import purge_rate_counters

pytestmark = pytest.mark.django_db

TOKEN = "scraper-token-for-tests-0123456789abcdef"


@pytest.fixture
def scraper(settings) -> Client:
    settings.SIMI_METRICS_TOKEN = TOKEN
    return Client(HTTP_AUTHORIZATION=f"Bearer {TOKEN}")


def _sample(body: str, name: str, **labels: str) -> float:
    """The value of one series in the text exposition (0 when absent)."""
    for line in body.splitlines():
        if not line.startswith(name + "{") and line.split(" ")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def _page(content: bytes, path: str) -> str:
    """An error page without what differs per request (CSRF token, reference)."""
    text = content.decode().replace(path, "PATH")
    return re.sub(r'value="[^"]*"|<code>[^<]*</code>', "", text)


def _scrape(scraper: Client) -> str:
    response = scraper.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response["Cache-Control"] == "no-store"
    return response.content.decode()


@pytest.mark.parametrize(
    "authorization",
    ["", f"Basic {TOKEN}", "Bearer wrong-token", f"Bearer {TOKEN}x", "Bearer "],
)
def test_it_answers_404_to_anyone_without_the_token(settings, client, authorization):
    # given a deployment with a metrics token
    settings.SIMI_METRICS_TOKEN = TOKEN
    # when someone asks without it (or with another)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **headers)
    # then /metrics looks like an address that does not exist
    assert response.status_code == 404
    assert b"simi_" not in response.content
    missing = client.get("/no-such-page", **headers)
    assert _page(response.content, "/metrics") == _page(missing.content, "/no-such-page")


def test_it_answers_404_even_to_a_token_while_none_is_configured(settings, client):
    # given a deployment that set no token
    settings.SIMI_METRICS_TOKEN = ""
    # when a request brings an empty or any bearer token, then it is not found
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


def test_it_refuses_other_methods_like_a_missing_page(scraper):
    # given the scraper's token, when it posts instead of getting, then 404
    assert scraper.post("/metrics").status_code == 404


def test_it_shows_a_requests_latency_by_route_pattern_never_the_path(scraper, client):
    # given a tracking look-up of one code
    labels = {"method": "GET", "route": "api/v1/track/<tracking_code>", "status": "4xx"}
    name = "simi_http_request_duration_seconds_count"
    before = _sample(_scrape(scraper), name, **labels)
    client.get("/api/v1/track/LB7Q2M9X4K")
    # when the scraper reads the metrics
    body = _scrape(scraper)
    # then the request is counted under its route pattern and status class
    assert _sample(body, name, **labels) == before + 1
    assert 'le="0.005"' in body
    # and no path, code or id ever becomes a label
    assert "LB7Q2M9X4K" not in body
    assert "/api/v1/track" not in body


def test_it_counts_a_rate_limit_hit(scraper, client, monkeypatch):
    # given the tracking limit at one look-up a window
    monkeypatch.setattr("simi.applications.api.tracking.TRACK_LIMIT", 1)
    before = _sample(_scrape(scraper), "simi_rate_limit_hits_total", bucket="track")
    # when one client looks twice
    client.get("/api/v1/track/LB7Q2M9X4K")
    refused = client.get("/api/v1/track/LB7Q2M9X4K")
    # then the second is refused and counted once under its bucket
    assert refused.status_code == 429
    body = _scrape(scraper)
    assert _sample(body, "simi_rate_limit_hits_total", bucket="track") == before + 1


def test_it_counts_a_delayed_sign_in(scraper, applicant):
    # given an account guessed at from one address past its free attempts
    client = Client()
    for _ in range(6):
        client.post("/akun/masuk/", {"username": applicant.email, "password": "wrong-password"})
    before = _sample(_scrape(scraper), "simi_rate_limit_hits_total", bucket="signin-pair")
    # when the next guess comes before its delay ran out
    client.post("/akun/masuk/", {"username": applicant.email, "password": "wrong-password"})
    # then the credential limiter's delay is counted
    after = _sample(_scrape(scraper), "simi_rate_limit_hits_total", bucket="signin-pair")
    assert after == before + 1


def test_it_shows_the_queue_depth_and_age_of_a_queued_job_and_the_database_up(scraper):
    # given an empty queue
    assert _sample(_scrape(scraper), "simi_queue_depth", queue="default") == 0
    # when a job is queued
    purge_rate_counters.enqueue()
    # then the scrape reads its depth and age from the queue table
    body = _scrape(scraper)
    assert _sample(body, "simi_queue_depth", queue="default") == 1
    assert 'simi_queue_oldest_age_seconds{queue="default"}' in body
    assert _sample(body, "simi_database_up") == 1
    assert "simi_workers_alive" in body


def test_it_adds_up_the_counts_of_several_processes_in_multiprocess_mode(tmp_path):
    # given gunicorn's multiprocess folder and a worker process that counted and exited
    script = """
import os, django
django.setup()
from simi.core import metrics
child = os.fork()
if child == 0:
    metrics.rate_limit_hit("track")
    os._exit(0)
os.waitpid(child, 0)
metrics.rate_limit_hit("track")
spec = __import__("importlib.util").util.spec_from_file_location("conf", "deploy/gunicorn.conf.py")
conf = __import__("importlib.util").util.module_from_spec(spec)
spec.loader.exec_module(conf)
conf.child_exit(None, type("Worker", (), {"pid": child})())
print(metrics.metrics_payload().decode())
"""
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "simi.settings_test",
        "SIMI_VAR_DIR": str(tmp_path / "var"),
    }
    # when the master process is scraped
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    # then both processes' counts are in one series
    assert result.returncode == 0, result.stderr
    assert _sample(result.stdout, "simi_rate_limit_hits_total", bucket="track") == 2
    assert any(Path(tmp_path).glob("counter_*.db"))


def test_the_gunicorn_hook_is_harmless_without_multiprocess_mode(monkeypatch):
    # given no multiprocess folder, when a worker exits, then the hook does nothing
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    path = Path(django_settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    conf.child_exit(None, type("Worker", (), {"pid": 12345})())


def test_a_short_metrics_token_fails_the_system_checks(settings):
    # given a token anyone could guess
    settings.SIMI_METRICS_TOKEN = "short"
    # when the checks run, then they refuse it
    assert [error.id for error in metrics_token_strong()] == ["simi.E003"]
    settings.SIMI_METRICS_TOKEN = TOKEN
    assert metrics_token_strong() == []
