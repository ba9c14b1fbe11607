"""Security headers on every response; check --deploy clean in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/", "/akun/masuk/", "/tidak-ada/", "/api/v1/offices", "/healthz"]
)
def test_every_response_carries_a_strict_policy(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_for_signed_in_people_are_never_cached(client_for, applicant):
    response = client_for(applicant).get("/akun/")
    assert "no-store" in response["Cache-Control"]


def test_no_template_uses_inline_script_or_style():
    # CSP would block them; this keeps templates honest before a browser finds out.
    for template in Path(settings.BASE_DIR, "simi").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<style" not in text, template
        assert " style=" not in text, template
        assert " onclick=" not in text, template
        assert " onload=" not in text, template
        for line in text.splitlines():
            if "<script" in line:
                assert "src=" in line or 'type="application/json"' in line, f"{template}: {line}"


def _production_env(**extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("SIMI_")},
        "DJANGO_SETTINGS_MODULE": "simi.settings",
        "SIMI_ENV": "production",
        "SIMI_SECRET_KEY": "x" * 20 + "-deploy-check-only-" + "y" * 30,
        "SIMI_ALLOWED_HOSTS": "simi.example.invalid",
        **extra,
    }


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_in_production_with_keys(tmp_path):
    # given key files an operator put in place (made here in development mode)
    make = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup(); "
        "from simi.core import keys; keys.data_keyring(); keys.index_key(); "
        "keys.signing_key(); keys.seal_key()"
    )
    env = {**os.environ, "SIMI_ENV": "development", "SIMI_KEY_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-c", make], cwd=settings.BASE_DIR, env=env, check=True)
    result = _check_deploy(_production_env(SIMI_KEY_DIR=str(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_keys_fails_the_deploy_check(tmp_path):
    result = _check_deploy(_production_env(SIMI_KEY_DIR=str(tmp_path / "empty")))
    assert result.returncode != 0
    assert "simi.E001" in result.stderr + result.stdout
    assert not (tmp_path / "empty").exists()  # nothing was generated


@pytest.mark.parametrize(
    "path",
    ["/static/simi/css/simi.css", "/static/simi/js/htmx.min.js", "/static/simi/img/logo.svg"],
)
def test_the_design_system_is_served_by_simi_itself(client, path):
    # every asset comes from SIMI (no CDN), so an office on a poor line still works
    response = client.get(path)
    assert response.status_code == 200
    assert path in client.get("/").content.decode() or not path.endswith(".css")


def test_htmx_loads_only_on_the_pages_that_poll_with_it(client):
    # 52 KB that no public page uses: a first visit on a slow line is spared it
    assert "htmx" not in client.get("/").content.decode()
    assert "htmx" not in client.get("/layanan/").content.decode()


def test_html_reaches_a_browser_compressed(client):
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert page["Content-Encoding"] == "gzip"
    import gzip

    assert b"SIMI" in gzip.decompress(page.content)
    assert "Content-Encoding" not in client.get("/")  # a client that did not ask


def test_answers_compressed_already_are_sent_as_they_are(rf):
    from django.http import HttpResponse

    from simi.core.middleware import CompressTextMiddleware

    pdf = b"%PDF-1.7 " + b"0" * 4000
    middleware = CompressTextMiddleware(
        lambda request: HttpResponse(pdf, content_type="application/pdf")
    )
    answer = middleware(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert answer.content == pdf
    assert not answer.has_header("Content-Encoding")


def test_the_api_answers_compressed_to_an_app_that_asks(client):
    import gzip
    import json

    answer = client.get("/api/v1/services", HTTP_ACCEPT_ENCODING="gzip")
    assert answer["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.content))["items"]
