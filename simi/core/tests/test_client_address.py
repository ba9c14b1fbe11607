"""Rate limits count by the client's address, also behind the reverse proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from simi.applications.selectors import TRACK_LIMIT
from simi.core import trackingcodes
from simi.core.ratelimit import client_ip

PROXY = "127.0.0.1"  # gunicorn behind a proxy on the same machine


def _address(remote: str, forwarded: str | None = None) -> str:
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_a_direct_client_is_its_own_address_whatever_it_claims():
    assert _address("198.51.100.7") == "198.51.100.7"
    assert _address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw():
    assert _address(PROXY, "203.0.113.9") == "203.0.113.9"
    assert _address(PROXY) == PROXY  # nothing forwarded: the proxy itself


def test_an_address_the_client_wrote_itself_is_not_believed():
    # the client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended what it saw
    assert _address(PROXY, "10.9.9.9, 203.0.113.9") == "203.0.113.9"
    assert _address(PROXY, "garbage, 203.0.113.9") == "203.0.113.9"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.SIMI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert _address(PROXY, "192.0.2.1, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert _address("10.4.4.4", "203.0.113.9") == "203.0.113.9"
    # a network outside the list is a client, not a proxy
    assert _address("172.16.0.1", "203.0.113.9") == "172.16.0.1"


def test_an_ipv6_client_behind_the_proxy():
    assert _address(PROXY, "2001:db8::5") == "2001:db8::5"


@pytest.mark.django_db
def test_two_citizens_behind_the_proxy_have_limits_of_their_own(client):
    url = f"/api/v1/track/{trackingcodes.generate()}"
    first = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    second = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "203.0.113.11"}
    statuses = [client.get(url, **first).status_code for _ in range(TRACK_LIMIT + 1)]
    assert statuses[-1] == 429
    assert client.get(url, **second).status_code == 404  # not found, not throttled
    # and the throttled one cannot escape by claiming another address
    spoofed = {**first, "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.10"}
    assert client.get(url, **spoofed).status_code == 429


def test_a_mistyped_proxy_list_stops_the_start(settings):
    from django.core.checks import run_checks

    settings.SIMI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/33"]
    errors = [m for m in run_checks(tags=["security"]) if m.id == "simi.E002"]
    assert len(errors) == 1
    assert "10.0.0.0/33" in errors[0].msg
