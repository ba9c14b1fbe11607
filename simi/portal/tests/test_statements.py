"""The statements every public service has: privacy notice, accessibility
statement, terms of use, contact and office hours; each in Bahasa Indonesia
(the default) and English, and linked from the footer of every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from simi.core.models import Office
from simi.privacy.models import RetentionRule

pytestmark = pytest.mark.django_db

STATEMENTS = {
    "portal:privacy_notice": ("Pemberitahuan privasi", "Privacy notice"),
    "portal:accessibility": ("Pernyataan aksesibilitas", "Accessibility statement"),
    "portal:terms": ("Ketentuan penggunaan", "Terms of use"),
    "portal:contact": ("Kontak dan jam layanan", "Contact and office hours"),
}


def _get(path: str, language: str, client: Client | None = None) -> str:
    client = client or Client()
    if language == "en":
        client.cookies["django_language"] = "en"
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _footer(html: str) -> str:
    return html.split('<footer class="site-footer">', 1)[1]


def test_it_keeps_the_addresses_printed_on_paper():
    # then the statements answer at their Indonesian addresses
    assert reverse("portal:privacy_notice") == "/privasi/"
    assert reverse("portal:accessibility") == "/aksesibilitas/"
    assert reverse("portal:terms") == "/ketentuan-penggunaan/"
    assert reverse("portal:contact") == "/kontak/"


@pytest.mark.parametrize("name", STATEMENTS)
@pytest.mark.parametrize("language", ["id", "en"])
def test_it_shows_each_statement_in_both_languages(name, language, reference_data):
    # when a visitor opens the statement in one language
    html = _get(reverse(name), language)
    # then its heading is in that language
    indonesian, english = STATEMENTS[name]
    heading = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert heading == (indonesian if language == "id" else english)


@pytest.mark.parametrize("language", ["id", "en"])
def test_it_links_every_statement_from_the_footer_and_the_links_reach_them(
    language, reference_data, applicant, client_for
):
    # given pages of the public site and of a signed-in applicant
    for client, path in ((Client(), "/"), (client_for(applicant), "/akun/")):
        footer = _footer(_get(path, language, client))
        for name in STATEMENTS:
            # then the footer links each statement, and the link answers
            url = reverse(name)
            assert f'href="{url}"' in footer, (path, name)
            _get(url, language, client)


def test_it_links_the_statements_from_the_back_office_footer_too(officer, client_for):
    # when an officer opens the back office
    footer = _footer(_get("/kantor/", "id", client_for(officer)))
    # then the same statements are one click away
    for name in STATEMENTS:
        assert f'href="{reverse(name)}"' in footer


def test_the_privacy_notice_states_the_retention_periods_from_the_rules(reference_data):
    # given the retention rules in force, one switched off
    RetentionRule.objects.filter(record_type="api_tokens").update(retain_days=120)
    RetentionRule.objects.filter(record_type="worker_heartbeats").update(is_active=False)
    # when an English visitor reads the privacy notice
    html = _get("/privasi/", "en")
    # then each rule in force is stated with its period, the switched-off one is not
    assert "Expired or revoked API tokens</td><td>120 days" in html
    assert "Closed data-subject requests</td><td>730 days" in html
    assert "Stale worker heartbeats" not in html
    # and the rights lead to the personal-data requests page, with the 3 x 24 hour answer
    assert f'href="{reverse("privacy:home")}"' in html
    assert "3 \u00d7 24 hours" in html


def test_the_privacy_notice_names_the_law_in_indonesian(reference_data):
    # when a visitor reads the notice in the default language
    html = _get("/privasi/", "id")
    # then it cites UU PDP and speaks to the reader formally
    assert "Undang-Undang Nomor 27 Tahun 2022" in html
    assert "Anda" in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_accessibility_statement_states_the_target_and_is_honest_about_it(language):
    # when a visitor reads the accessibility statement
    html = _get("/aksesibilitas/", language)
    # then it names WCAG 2.1 AA, says the check is under way and is dated
    assert "WCAG" in html
    assert "2.1" in html
    assert ("sedang dilakukan" if language == "id" else "being done now") in html
    assert ("2 Desember 2026" if language == "id" else "2 December 2026") in html


def test_the_contact_page_lists_each_active_office_with_its_hours(reference_data):
    # given an office the administrator gave a telephone number and Saturday hours
    Office.objects.filter(code="ulp-liwa").update(
        phone="0728-21000",
        opening_hours=[
            {"days": [1, 2, 3, 4, 5], "opens": "08:00", "closes": "16:00"},
            {"days": [6], "opens": "08:00", "closes": "12:00"},
        ],
    )
    # and an office that closed
    Office.objects.create(
        code="closed", name="Kantor Tutup", kind=Office.Kind.OFFICE, is_active=False
    )
    # when an Indonesian visitor opens the contact page
    html = _get("/kontak/", "id")
    # then every active office is there with its address, phone and hours in Indonesian
    assert "Kantor Imigrasi Kelas III Non TPI Kotabumi" in html
    assert "Unit Layanan Keimigrasian Liwa" in html
    assert "Liwa, Kecamatan Balik Bukit" in html
    assert 'href="tel:0728-21000"' in html
    assert "Senin\u2013Jumat: 08:00\u201316:00" in html
    assert "Sabtu: 08:00\u201312:00" in html
    assert "Kantor Tutup" not in html


def test_the_contact_page_shows_the_office_hours_in_english(reference_data):
    # when an English visitor opens the contact page
    html = _get("/kontak/", "en")
    # then the hours loaded from the office data are in English
    assert "Monday\u2013Friday: 08:00\u201316:00" in html


def test_the_contact_page_maps_the_service_point_in_its_kecamatan(reference_data):
    # when a visitor opens the contact page
    html = _get("/kontak/", "id")
    # then the Liwa service point has a map drawn on the server, its kecamatan marked
    assert html.count("<svg") == 1  # Kotabumi lies outside Lampung Barat's map
    assert 'data-code="18.04.04" data-office="true"' in html
    assert "Balik Bukit" in html
    # and nothing is fetched from elsewhere for it
    assert "tile" not in html
    assert "https://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
