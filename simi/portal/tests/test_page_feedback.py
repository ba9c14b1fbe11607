""" "Was this page helpful?": the small form in the footer of every page, its
answers stored once per vote, comments encrypted, votes rate limited per
client, and the counts per page for analysts and administrators."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from simi.portal.models import PageFeedback
from simi.portal.views import FEEDBACK_LIMIT

pytestmark = pytest.mark.django_db

URL = "/umpan-balik/"


def _client(language: str = "id") -> Client:
    client = Client(enforce_csrf_checks=True)
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


def _csrf(client: Client, page: str = "/layanan/") -> str:
    """Open a page as a visitor does, and take the footer form's CSRF token."""
    html = client.get(page).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'action="{URL}"' in footer
    return footer.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def _vote(client: Client, **data: str):
    data.setdefault("page", "/layanan/")
    token = _csrf(client)
    return client.post(URL, {"csrfmiddlewaretoken": token, **data})


def test_the_form_is_in_the_footer_of_every_kind_of_page(applicant, client_for):
    # then the public home page, a signed-in page and a missing page carry the form
    signed_in = client_for(applicant)
    for client, path in ((Client(), "/"), (signed_in, "/akun/"), (Client(), "/tidak-ada/")):
        html = client.get(path).content.decode()
        footer = html.split('<footer class="site-footer">', 1)[1]
        assert f'action="{URL}"' in footer, path
        assert f'name="page" value="{path}"' in footer, path
        assert 'name="answer" value="yes"' in footer
        assert 'maxlength="500"' in footer


@pytest.mark.parametrize(
    ("language", "thanks"),
    [("id", "Terima kasih atas umpan balik Anda"), ("en", "Thank you for your feedback")],
)
def test_a_vote_is_stored_once_and_thanked_in_the_visitors_language(language, thanks):
    # when a visitor answers "no" with a comment on the services page
    client = _client(language)
    response = _vote(client, answer="no", comment="  Persyaratannya kurang jelas.  ")
    # then they are thanked, with a way back to the page
    assert response.status_code == 200
    html = response.content.decode()
    assert thanks in html
    assert 'href="/layanan/"' in html
    # and exactly one answer is stored, with the page, the language and the comment
    vote = PageFeedback.objects.get()
    assert (vote.path, vote.answer, vote.language) == ("/layanan/", "no", language)
    assert vote.comment == "Persyaratannya kurang jelas."
    # and a second vote is a second row, not a change of the first
    _vote(client, answer="yes")
    assert PageFeedback.objects.count() == 2
    assert PageFeedback.objects.filter(answer="yes", comment__isnull=True).count() == 1


def test_the_comment_is_stored_encrypted():
    # when a visitor leaves a comment
    _vote(_client(), answer="yes", comment="Halaman yang sangat jelas")
    # then the database row holds ciphertext, not the words
    with connection.cursor() as cursor:
        cursor.execute("SELECT comment FROM portal_pagefeedback")
        (stored,) = cursor.fetchone()
    assert "jelas" not in stored
    assert stored.startswith("v1:")
    assert PageFeedback.objects.get().comment == "Halaman yang sangat jelas"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Komentar Anda terlalu panjang: paling banyak 500 karakter."),
        ("en", "Your comment is too long: at most 500 characters."),
    ],
)
def test_a_comment_over_500_characters_is_refused_with_a_translated_message(language, message):
    # when a visitor sends 501 characters
    response = _vote(_client(language), answer="yes", comment="a" * 501)
    # then nothing is stored and they are told why, in their language
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PageFeedback.objects.exists()


def test_exactly_500_characters_are_accepted():
    response = _vote(_client(), answer="yes", comment="a" * 500)
    assert response.status_code == 200
    assert len(PageFeedback.objects.get().comment) == 500


def test_an_answer_other_than_yes_or_no_is_refused():
    response = _vote(_client("en"), answer="maybe")
    assert response.status_code == 422
    assert not PageFeedback.objects.exists()


def test_a_vote_without_the_csrf_token_is_refused():
    # when a vote is posted from elsewhere, without the form's token
    response = _client().post(URL, {"answer": "yes", "page": "/"})
    # then it is refused and nothing is stored
    assert response.status_code == 403
    assert not PageFeedback.objects.exists()


def test_only_a_local_path_is_stored_without_its_query_string():
    client = _client()
    _vote(client, answer="yes", page="/layanan/?q=paspor+anak")
    _vote(client, answer="yes", page="https://elsewhere.example/phish")
    assert sorted(PageFeedback.objects.values_list("path", flat=True)) == ["/", "/layanan/"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_too_many_votes_from_one_client_answer_429(language):
    # given a client that used up its votes for the hour
    client = _client(language)
    for _ in range(FEEDBACK_LIMIT):
        assert _vote(client, answer="yes").status_code == 200
    # when it votes once more
    response = _vote(client, answer="no")
    # then it is told to wait, and the vote is not stored
    assert response.status_code == 429
    assert response["Retry-After"]
    wait = "Terlalu banyak permintaan" if language == "id" else "Too many requests"
    assert wait in response.content.decode()
    assert PageFeedback.objects.count() == FEEDBACK_LIMIT
    # and another client may still vote
    other = _client(language)
    token = _csrf(other)
    answer = other.post(URL, {"csrfmiddlewaretoken": token, "answer": "no"}, REMOTE_ADDR="10.0.0.9")
    assert answer.status_code == 200


def _summary(client: Client, language: str = "id"):
    if language == "en":
        client.cookies["django_language"] = "en"
    return client.get("/kantor/umpan-balik/")


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_analyst_sees_the_counts_per_page_from_the_back_office(language, analyst, client_for):
    # given answers on two pages
    PageFeedback.objects.create(path="/layanan/", answer="yes", language="id")
    PageFeedback.objects.create(path="/layanan/", answer="no", language="en", comment="x")
    PageFeedback.objects.create(path="/kontak/", answer="yes", language="id")
    client = client_for(analyst)
    # when the analyst opens the back office
    home = client.get("/kantor/").content.decode()
    # then a card leads to the counts per page
    assert 'href="/kantor/umpan-balik/"' in home
    response = _summary(client, language)
    assert response.status_code == 200
    html = response.content.decode()
    assert ("Umpan balik halaman" if language == "id" else "Page feedback") in html
    assert '<td><a href="/layanan/">/layanan/</a></td><td>1</td><td>1</td><td>1</td>' in html
    assert '<td><a href="/kontak/">/kontak/</a></td><td>1</td><td>0</td><td>0</td>' in html
    # and the comments themselves are not shown there
    assert ">x<" not in html


def test_the_administrator_sees_the_counts_too(admin_user, client_for):
    assert _summary(client_for(admin_user)).status_code == 200


def test_other_staff_and_the_public_do_not_see_the_counts(officer, applicant, client_for):
    assert _summary(client_for(officer)).status_code == 403
    assert 'href="/kantor/umpan-balik/"' not in client_for(officer).get("/kantor/").content.decode()
    assert _summary(client_for(applicant)).status_code == 403
    assert _summary(Client()).status_code == 302
