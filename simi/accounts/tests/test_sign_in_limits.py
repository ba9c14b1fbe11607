"""Every password check goes through one deployment-wide limiter: web sign-in,
API tokens and the admin sign-in, keyed by account and by the real client
behind the proxy, with delays that grow instead of a lock-out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import get_resolver
from freezegun import freeze_time

from simi.accounts.models import TotpDevice
from simi.accounts.tests.factories import PASSWORD
from simi.accounts.tests.test_mfa import _enrol, _now_code
from simi.core.credentials import ACCOUNT, DEVICE_COOKIE, NETWORK, PAIR

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"  # the reverse proxy in front of gunicorn (trusted)
WRONG = "not-the-password-1"


@pytest.fixture(autouse=True)
def _clock_held_still() -> Iterator[None]:
    """Delays are seconds long: a slow machine must not see one run out mid-test."""
    get_resolver().url_patterns  # noqa: B018 - the API's schemas are built before time stops
    with freeze_time(tick=False):
        yield


def _from(address: str, invented: str | None = None) -> dict[str, str]:
    """Headers of a request that reached SIMI through the proxy from ``address``;
    ``invented`` is what the client itself wrote into X-Forwarded-For."""
    forwarded = address if invented is None else f"{invented}, {address}"
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def _sign_in(client: Client, email: str, password: str, address: str, **extra: str):
    return client.post(
        "/akun/masuk/", {"username": email, "password": password}, **_from(address), **extra
    )


def _token(client: Client, email: str, password: str, headers: dict[str, str], **body: str):
    payload = {"email": email, "password": password, "name": "Ponsel", **body}
    return client.post("/api/v1/auth/tokens", payload, content_type="application/json", **headers)


def test_it_delays_token_guesses_that_rotate_the_forwarded_for_left_part(client, applicant):
    # given an attacker behind the proxy who invents a new X-Forwarded-For
    # left part for every guess
    for guess in range(12):
        response = _token(
            client, applicant.email, f"{WRONG}{guess}", _from("203.0.113.50", f"10.0.0.{guess}")
        )
        assert response.status_code in {401, 429}
    # when it sends the right password, still with a fresh invented address
    response = _token(client, applicant.email, PASSWORD, _from("203.0.113.50", "10.9.9.9"))
    # then it is delayed: the count followed the address the proxy saw
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "sign_in_delayed"
    assert int(response["Retry-After"]) >= 1


def test_it_delays_the_api_for_an_account_delayed_on_the_web(client, applicant):
    # given wrong passwords on the web sign-in from one address until it is delayed
    statuses = [
        _sign_in(client, applicant.email, WRONG, "203.0.113.7").status_code for _ in range(12)
    ]
    assert statuses[-1] == 429
    # when the same address asks the API for a token with the right password
    response = _token(Client(), applicant.email, PASSWORD, _from("203.0.113.7"))
    # then the API is delayed too: one limiter, one key
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "sign_in_delayed"


def test_it_delays_admin_sign_in_after_thirty_wrong_passwords(client, admin_user):
    # given thirty wrong passwords at the admin's own sign-in
    for _ in range(30):
        client.post(
            "/admin/login/?next=/admin/",
            {"username": admin_user.email, "password": WRONG, "next": "/admin/"},
            REMOTE_ADDR="198.51.100.30",
        )
    # when the right password comes from the same address
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.email, "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="198.51.100.30",
    )
    # then it is delayed, and nobody is signed in
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_lets_the_owner_in_while_two_addresses_hammer_the_account(applicant):
    # given two addresses that guess the applicant's password until delayed
    for attacker in ("203.0.113.1", "203.0.113.2"):
        browser = Client()
        for _ in range(15):
            _sign_in(browser, applicant.email, WRONG, attacker)
    # when the owner signs in from her own address
    owner = Client()
    response = _sign_in(owner, applicant.email, PASSWORD, "198.51.100.9")
    # then she is in
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(applicant.pk)


def test_it_lets_staff_in_with_password_and_code_from_a_fresh_address(officer):
    # given an officer with an authenticator, and two addresses guessing his password
    device = _enrol(officer)
    for attacker in ("203.0.113.1", "203.0.113.2"):
        browser = Client()
        for _ in range(15):
            _sign_in(browser, officer.email, WRONG, attacker)
    # when he signs in from a new address with his password and then his code
    owner = Client()
    password = _sign_in(owner, officer.email, PASSWORD, "198.51.100.9", follow=True)
    code = owner.post(
        "/akun/mfa/verifikasi/?next=/kantor/", {"code": _now_code(device)}, **_from("198.51.100.9")
    )
    # then he reaches the back office
    assert password.redirect_chain[-1][0].startswith("/akun/mfa/verifikasi/")
    assert code.status_code == 302
    assert owner.get("/kantor/", **_from("198.51.100.9")).status_code == 200
    assert TotpDevice.objects.get(user=officer).failures == 0


def test_it_grows_the_delay_and_then_lets_the_address_try_again(client, applicant):
    with freeze_time("2026-06-01 08:00:00", tick=False) as clock:
        # given five free wrong guesses from one address
        for _ in range(5):
            assert _sign_in(client, applicant.email, WRONG, "203.0.113.5").status_code == 200
        waits = []
        for _ in range(4):
            # when it tries again at once, it is told to wait
            delayed = _sign_in(client, applicant.email, WRONG, "203.0.113.5")
            assert delayed.status_code == 429
            waits.append(int(delayed["Retry-After"]))
            # and after waiting that long it may try once more
            clock.tick(waits[-1])
            assert _sign_in(client, applicant.email, WRONG, "203.0.113.5").status_code == 200
        # then every wait was twice the one before: a delay, never a lock
        assert waits == [1, 2, 4, 8]
        clock.tick(16)
        response = _sign_in(client, applicant.email, PASSWORD, "203.0.113.5")
        assert response.status_code == 302


def test_it_lets_the_owners_own_browser_in_on_an_address_that_is_delayed(applicant):
    # given the owner signed in once from this browser, behind a shared address
    owner = Client()
    assert _sign_in(owner, applicant.email, PASSWORD, "198.51.100.40").status_code == 302
    owner.post("/akun/keluar/", **_from("198.51.100.40"))
    # and a guesser on the same address is delayed for her account
    guesser = Client()
    for _ in range(15):
        _sign_in(guesser, applicant.email, WRONG, "198.51.100.40")
    assert _sign_in(guesser, applicant.email, PASSWORD, "198.51.100.40").status_code == 429
    # when she signs in again from her browser
    response = _sign_in(owner, applicant.email, PASSWORD, "198.51.100.40")
    # then she is in: her browser counts on its own
    assert response.status_code == 302


def test_the_device_cookie_names_no_account_and_scripts_cannot_read_it(client, applicant):
    response = _sign_in(client, applicant.email, PASSWORD, "198.51.100.41")
    cookie = response.cookies[DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "ani" not in cookie.value
    assert "198.51.100" not in cookie.value


def test_it_holds_back_networks_that_already_tried_during_a_distributed_attack(applicant):
    # given one wrong guess each from more networks than the account lets try freely
    networks = [f"203.0.113.{n}" for n in range(1, ACCOUNT.free + 2)]
    for network in networks:
        assert _sign_in(Client(), applicant.email, WRONG, network).status_code == 200
    # when one of them guesses again
    again = _sign_in(Client(), applicant.email, WRONG, networks[0])
    # then it waits for the account's delay, not only for its own
    assert again.status_code == 429
    # while the owner, from a network that never failed, is let in at once
    owner = Client()
    assert _sign_in(owner, applicant.email, PASSWORD, "198.51.100.9").status_code == 302


def test_it_delays_one_address_that_tries_many_accounts(client):
    # given one address that tries one password on many accounts (known or not)
    statuses = [
        _sign_in(client, f"user{n}@example.test", WRONG, "203.0.113.77").status_code
        for n in range(NETWORK.free + 1)
    ]
    # then it is delayed once past the address's free attempts
    assert statuses[:-1] == [200] * NETWORK.free
    assert statuses[-1] == 429


def test_it_counts_an_address_nobody_has_like_an_existing_account(client, applicant):
    # when one address guesses for an existing account and for an unknown one
    known = [_sign_in(Client(), applicant.email, WRONG, "203.0.113.8") for _ in range(7)]
    unknown = [_sign_in(Client(), "nobody@example.test", WRONG, "203.0.113.9") for _ in range(7)]
    # then the answers cannot tell them apart
    assert [r.status_code for r in known] == [r.status_code for r in unknown]
    assert [r.get("Retry-After") for r in known] == [r.get("Retry-After") for r in unknown]


@pytest.mark.parametrize(
    ("language", "words"),
    [("id", "Terlalu banyak percobaan masuk"), ("en", "Too many sign-in attempts")],
)
def test_it_says_how_long_to_wait_in_the_callers_language(client, applicant, language, words):
    for _ in range(PAIR.free):
        _token(client, applicant.email, WRONG, _from("203.0.113.10"))
    page = _sign_in(Client(), applicant.email, WRONG, "203.0.113.10", HTTP_ACCEPT_LANGUAGE=language)
    api = _token(
        client, applicant.email, WRONG, {**_from("203.0.113.10"), "HTTP_ACCEPT_LANGUAGE": language}
    )
    assert page.status_code == api.status_code == 429
    assert words in page.content.decode()
    assert words in api.json()["error"]["message"]
    assert page["Retry-After"] == api["Retry-After"] == "1"


def test_admin_sign_in_asks_for_the_second_factor_like_staff_sign_in(client, admin_user):
    # when the administrator signs in at the admin's sign-in page
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": admin_user.email, "password": PASSWORD, "next": "/admin/"},
        follow=True,
    )
    # then the admin is reached only after the second factor
    assert response.redirect_chain[0][0] == "/admin/"
    assert response.redirect_chain[-1][0].startswith("/akun/mfa/")


def test_a_signed_in_non_administrator_at_the_admin_sign_in_is_refused(client_for, applicant):
    client = client_for(applicant)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get("/admin/", follow=True).status_code == 403


def test_a_malformed_sign_in_form_does_not_count(client, applicant):
    # given many posts that never reach the password check
    for _ in range(PAIR.free * 2):
        response = client.post("/akun/masuk/", {"username": "not-an-address", "password": "x"})
        assert response.status_code == 200
    # then they used up nothing
    assert _sign_in(client, applicant.email, PASSWORD, "127.0.0.1").status_code == 302
