import pytest
from django.test import override_settings

from simi.accounts.demo import demo_seed
from simi.accounts.passwords import DEMO_PASSWORD
from simi.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_staff_are_sent_to_set_up_their_second_factor(client, officer):
    response = client.post(
        "/akun/masuk/", {"username": officer.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith("/akun/mfa/?next=")


def test_a_wrong_password_gets_a_plain_message(client, applicant):
    response = client.post(
        "/akun/masuk/", {"username": applicant.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 200
    assert "Alamat email atau nomor ponsel, atau kata sandi, salah." in response.content.decode()


def test_repeated_failures_are_throttled(client, applicant):
    for _ in range(10):
        client.post(
            "/akun/masuk/",
            {"username": applicant.email, "password": "nope"},
            REMOTE_ADDR="10.1.1.1",
        )
    response = client.post(
        "/akun/masuk/", {"username": applicant.email, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429


def test_demo_accounts_work_in_development(client, reference_data):
    demo_seed(applicants=0)
    response = client.post(
        "/akun/masuk/", {"username": "pemohon@demo.simi.invalid", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


@override_settings(PRODUCTION=True)
def test_the_demo_password_refuses_to_work_in_production(client, reference_data):
    demo_seed(applicants=0)
    response = client.post(
        "/akun/masuk/", {"username": "pemohon@demo.simi.invalid", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post_and_ends_the_session(client_for, applicant):
    client = client_for(applicant)
    assert client.get("/akun/keluar/").status_code == 405
    client.post("/akun/keluar/")
    assert "_auth_user_id" not in client.session
