"""No value a caller puts into a path reaches the logs (issue 12, finding 9).

The access log wrote ``request.path``: tracking codes (``/api/v1/track/{code}``),
e-mail verification tokens and any other code in a path went to the log in
clear. Now such values are written as a keyed token (``simi.core.logs``).
The sweep below requests every URL pattern that takes a parameter, found in
the URL resolver, so a new route is covered without being listed here.
"""

from __future__ import annotations

import io
import logging
import re
import uuid
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import give_identity
from simi.core.logs import LOGGED_PATH_PARAMETERS, JsonFormatter, log_token

pytestmark = pytest.mark.django_db

CANARY = "SIMICANARY7F3A9C"  # written nowhere else in the repository
_PARAMETER = r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>"


def _walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def _value(converter: str | None, name: str) -> str:
    if name in LOGGED_PATH_PARAMETERS:
        return "x"  # logged as it is, by design: SIMI's own vocabulary
    if converter == "uuid":
        return str(uuid.uuid4())
    if converter == "int":
        return "7"
    return CANARY


def _url(route: str, entry: URLPattern) -> str | None:
    """A URL for a pattern with the canary in every caller-chosen parameter."""
    if isinstance(entry.pattern, RoutePattern) and "(?P" not in route:
        url = re.sub(_PARAMETER, lambda m: _value(m["converter"], m["name"]), route)
        return "/" + url
    # The admin's regular expressions: a list of app labels, and its catch-all.
    assert isinstance(entry.pattern, RegexPattern) or "(?P" in route, route
    if "(?P<app_label>" in route:
        return "/admin/accounts/"
    if "(?P<url>.*)$" in route:
        return f"/admin/{CANARY}/"
    raise AssertionError(f"no URL for {route}: teach this sweep its parameters")


def parameterised_urls() -> list[str]:
    urls: dict[tuple, str] = {}
    for route, entry in _walk(get_resolver().url_patterns):
        if "<" not in route:
            continue
        url = _url(route, entry)
        assert url is not None
        callback = entry.callback
        # The admin repeats one set of views for every model: one of each is enough.
        key: tuple = (route,)
        if route.startswith("admin/"):
            key = (callback.__module__, callback.__qualname__, route.count("<"))
        urls.setdefault(key, url)
    return sorted(urls.values())


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured JSON log handler writes, in memory."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert handlers, "the JSON console handler is configured"
    buffer = io.StringIO()
    old = [h.setStream(buffer) for h in handlers]  # type: ignore[attr-defined]
    yield buffer
    for handler, stream in zip(handlers, old, strict=True):
        handler.setStream(stream)  # type: ignore[attr-defined]


def _logged(caplog, console: io.StringIO) -> str:
    records = [r for r in caplog.records if r.name.startswith("simi")]
    return console.getvalue() + "\n".join(f"{r.getMessage()} {vars(r)}" for r in records)


def test_it_writes_a_tracking_code_to_the_access_log_as_a_token(
    client, caplog, console, applicant, catalogue
):
    # given a submitted application and its tracking code
    give_identity(applicant, nik="1804041708850003", name="Ani Rahmawati")
    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    code = submit_complete(actor=applicant, application=draft).tracking_code
    # when someone tracks it through the API
    with caplog.at_level(logging.INFO, logger="simi"):
        response = client.get(f"/api/v1/track/{code}")
    # then the access log has the request, with the code as its token only
    assert response.status_code == 200
    access = [r for r in caplog.records if r.name == "simi.access"]
    assert [r.path for r in access] == [f"/api/v1/track/{log_token(code)}"]
    assert code not in _logged(caplog, console)
    assert log_token(code) in console.getvalue()
    # and the tracking page, which takes the code in its query string, logs no code either
    with caplog.at_level(logging.INFO, logger="simi"):
        page = client.get("/permohonan/lacak/", {"code": code})
    assert page.status_code == 200
    assert code not in _logged(caplog, console)


def test_support_can_find_a_codes_requests_with_the_token_command(capsys):
    call_command("log_token", CANARY)
    assert capsys.readouterr().out.split()[0] == log_token(CANARY)


def test_no_value_from_a_path_reaches_the_log(
    request, client_for, caplog, console, applicant, supervisor, admin_user
):
    # given every URL pattern that takes a parameter, the canary in each
    urls = parameterised_urls()
    assert "/api/v1/track/SIMICANARY7F3A9C" in urls
    assert "/akun/verifikasi-email/SIMICANARY7F3A9C/" in urls
    clients = [Client(), client_for(applicant), client_for(supervisor), client_for(admin_user)]
    # when each is requested anonymously, by an applicant, by staff and by an admin
    with caplog.at_level(logging.INFO, logger="simi"):
        for url in urls:
            for client in clients:
                client.get(url)
    # then every request was logged, and the canary never
    access = [r for r in caplog.records if r.name == "simi.access"]
    assert len(access) >= len(urls) * len(clients)
    assert CANARY not in _logged(caplog, console)
    assert log_token(CANARY) in console.getvalue()


def test_a_path_that_matches_no_route_keeps_only_route_words(client, caplog):
    with caplog.at_level(logging.INFO, logger="simi"):
        client.get(f"/permohonan/lacak/{CANARY}/1804045708950002/")
    (record,) = [r for r in caplog.records if r.name == "simi.access"]
    assert record.path == (
        f"/permohonan/lacak/{log_token(CANARY)}/{log_token('1804045708950002')}/"
    )


def test_public_ids_and_steps_stay_readable_for_support(client_for, caplog, supervisor):
    claim = uuid.uuid4()
    with caplog.at_level(logging.INFO, logger="simi"):
        client_for(supervisor).post(f"/kantor/identitas/{claim}/confirm/")
    (record,) = [r for r in caplog.records if r.name == "simi.access"]
    assert record.path == f"/kantor/identitas/{claim}/confirm/"
