"""No dead ends on the way in (issue 14): the home page's cards lead
somewhere, tracking is in the menu for everyone, and a service page has an
"apply" button that arrives with the service chosen."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

SERVICE = "passport-ordinary-5y"


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_the_home_page_cards_lead_to_the_services_and_to_tracking(client, catalogue):
    # given someone not signed in on the home page
    home = client.get("/")
    links = _links(home.content.decode())
    # then each card is a link: passports, stay permits, tracking
    assert "/layanan/?applicant_category=citizen" in links
    assert "/layanan/?applicant_category=foreigner" in links
    assert "/permohonan/lacak/" in links
    # and each of them answers
    for link in ("/layanan/?applicant_category=citizen", "/permohonan/lacak/"):
        assert client.get(link).status_code == 200


def test_tracking_is_in_the_menu_signed_out_and_signed_in(client, client_for, ani):
    for visitor in (client, client_for(ani)):
        page = visitor.get("/layanan/").content.decode()
        nav = page[page.index('class="main-nav"') :]
        assert 'href="/permohonan/lacak/"' in nav[: nav.index("</nav>")]


def test_a_service_page_has_an_apply_button_that_arrives_with_the_service_chosen(
    client, client_for, ani
):
    # given the page of one service
    page = client.get(f"/layanan/{SERVICE}/")
    assert page.status_code == 200
    apply_link = f"/permohonan/baru/?service={SERVICE}"
    assert apply_link in _links(page.content.decode())
    # when a signed-out visitor follows it, sign-in comes first and leads back
    signed_out = client.get(apply_link)
    assert signed_out.status_code == 302
    assert "next=" in signed_out["Location"]
    # and a signed-in applicant lands on the new-application form with the service chosen
    form = client_for(ani).get(apply_link)
    assert form.status_code == 200
    html = form.content.decode()
    chosen = re.search(rf'<option value="{SERVICE}"[^>]*>', html) or re.search(
        rf'<input[^>]*value="{SERVICE}"[^>]*>', html
    )
    assert chosen is not None
    assert "selected" in chosen.group(0) or "checked" in chosen.group(0)


def test_an_unknown_service_in_the_link_is_simply_not_chosen(client_for, ani):
    html = client_for(ani).get("/permohonan/baru/?service=no-such-service").content.decode()
    assert 'value="no-such-service"' not in html
    assert not re.search(r'<(option|input)[^>]*value="passport[^"]*"[^>]*(selected|checked)', html)


def test_the_new_application_form_chooses_no_office_for_the_applicant(client_for, ani):
    # given the new-application form (issue 14: the first office was pre-selected,
    # so drafts went to an office in another regency)
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    html = client.get("/permohonan/baru/").content.decode()
    # then nothing is chosen, and the first option asks to choose
    assert not re.search(r'<option value="[^"]+"[^>]*selected', html)
    assert '<option value="" selected>Choose…</option>' in html
    # and sending it without an office is refused on the office field, nothing saved
    refused = client.post("/permohonan/baru/", {"service": SERVICE, "office": ""})
    assert refused.status_code == 422
    assert "office" in refused.context["form"].errors
    assert not ani.applications.exists()


def test_the_identity_form_does_not_choose_a_sex(client_for, applicant):
    html = client_for(applicant).get("/akun/identitas/").content.decode()
    sex = html[html.index('name="sex"') :]
    sex = sex[: sex.index("</select>")]
    assert not re.search(r'<option value="[^"]+"[^>]*selected', sex)
