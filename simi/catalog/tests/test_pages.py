"""The public catalogue pages at /layanan/, in Indonesian and English."""

import re

import pytest
from django.urls import reverse

from simi.catalog.models import ServiceType

pytestmark = pytest.mark.django_db

LIST = "/layanan/"


def test_the_list_has_its_url_name():
    assert reverse("catalog:list") == LIST
    assert reverse("catalog:detail", args=["itk-30d"]) == "/layanan/itk-30d/"


def test_it_lists_services_in_indonesian_with_todays_fees(client, catalogue):
    # when a visitor opens the catalogue (Indonesian is the default language)
    html = client.get(LIST).content.decode()
    # then names come from the Indonesian columns, fees formatted in Rupiah
    assert "Paspor biasa non-elektronik, 5 tahun" in html
    assert "Rp350.000" in html
    assert "Rp1.000.000" in html
    assert "Perpanjangan Izin Tinggal Kunjungan (ITK), 30 hari" in html
    assert "Ordinary passport (non-electronic), 5 years" not in html


def test_it_lists_services_in_english(client, catalogue):
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ordinary passport (non-electronic), 5 years" in html
    assert "Visit stay permit (ITK) extension, 30 days" in html
    assert "Rp950.000" in html
    assert "4 working days" in html
    assert "Passport surcharges" in html


def test_it_falls_back_to_indonesian_when_the_english_name_is_missing(client, service):
    itk = service("itk-7d")
    itk.name_en = ""
    itk.save(update_fields=["name_en"])
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Perpanjangan Izin Tinggal Kunjungan (ITK), 7 hari" in html


def test_the_detail_shows_fee_documents_standard_and_offices(client, catalogue):
    # when a visitor opens the 5-year ordinary passport
    html = client.get("/layanan/passport-ordinary-5y/").content.decode()
    # then the fee, the documents, the standard and both offices are shown
    assert "Rp350.000" in html
    assert "PP 45/2024" in html
    assert "KTP elektronik (e-KTP)" in html
    assert "Kartu Keluarga" in html
    assert "akta kelahiran" in html
    assert "Permenkumham" not in html  # the standard's source stays in the admin and API
    assert "Kantor Imigrasi Kelas III Non TPI Kotabumi" in html
    assert "Unit Layanan Keimigrasian Liwa" in html


def test_the_detail_in_english_lists_the_lost_passport_documents(client, catalogue):
    html = client.get(
        "/layanan/passport-replacement-lost/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Replacement of a lost passport" in html
    assert "Police report of the loss" in html
    assert "Investigation record (BAP)" in html
    assert "8 working days" in html
    assert "2 hours after you receive the billing code" in html


def test_unconfirmed_figures_are_flagged(client, catalogue):
    html = client.get("/layanan/itas-1y/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rp1.500.000" in html
    assert "to be confirmed" in html


def test_the_office_filter_leaves_out_services_not_offered_there(client, catalogue):
    html = client.get(LIST, {"office": "ulp-liwa"}).content.decode()
    assert "/layanan/passport-ordinary-5y/" in html
    assert "/layanan/itk-30d/" not in html


def test_unknown_and_unpublished_services_answer_404(client, service):
    assert client.get("/layanan/no-such-service/").status_code == 404
    itap = service("itap-5y")
    itap.is_active = False
    itap.save(update_fields=["is_active"])
    assert client.get("/layanan/itap-5y/").status_code == 404
    assert "/layanan/itap-5y/" not in client.get(LIST).content.decode()


def test_it_says_so_when_nothing_is_published(client, catalogue):
    ServiceType.objects.update(is_active=False)
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="empty"' in html
    assert "No services are published yet." in html


def test_the_pages_carry_no_inline_script_or_style(client, catalogue):
    for url in (LIST, "/layanan/passport-ordinary-5y/"):
        html = client.get(url).content.decode()
        assert " style=" not in html
        assert "<style" not in html
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_the_catalogue_is_public_and_staff_see_it_too(client_for, officer, catalogue):
    assert client_for(officer).get(LIST).status_code == 200
