"""The shipped catalogue: PP 45/2024 amounts, documents, standards, billing
rules and offices, each with where it comes from."""

from datetime import date

import pytest

from simi.catalog.models import BillingRule, Fee, RequiredDocument, ServiceType, SlaRule
from simi.catalog.referencedata import current_models, load_catalogue
from simi.catalog.selectors import fee_in_force, services_offered, sla_in_force
from simi.core.documents import DocumentKind
from simi.core.models import Office

pytestmark = pytest.mark.django_db

PP_45_2024 = date(2024, 12, 18)

AMOUNTS = {
    "passport-ordinary-5y": 350_000,
    "passport-ordinary-10y": 650_000,
    "passport-electronic-5y": 650_000,
    "passport-electronic-10y": 950_000,
    "passport-same-day": 1_000_000,
    "passport-replacement-lost": 1_000_000,
    "passport-replacement-lost-disaster": 0,
    "passport-replacement-damaged": 500_000,
    "passport-replacement-damaged-disaster": 0,
    "splp-citizen": 100_000,
    "splp-foreigner": 150_000,
    "itk-7d": 250_000,
    "itk-14d": 350_000,
    "itk-30d": 500_000,
    "itk-60d": 1_000_000,
    "itk-90d": 1_500_000,
    "itk-180d": 2_000_000,
    "re-entry-30d": 300_000,
    "re-entry-1y": 1_500_000,
    "re-entry-2y": 2_000_000,
    "re-entry-5y": 3_500_000,
    "re-entry-10y": 5_000_000,
    "visa-on-arrival": 500_000,
    "itas-6m": 1_000_000,
    "itas-1y": 1_500_000,
    "itas-2y": 2_000_000,
    # an extension is charged the ITAS fee of its new duration
    "itas-extension-6m": 1_000_000,
    "itas-extension-1y": 1_500_000,
    "itas-extension-2y": 2_000_000,
    "itap-5y": 5_000_000,
}
UNCONFIRMED = {
    "visa-on-arrival",
    "itas-6m",
    "itas-1y",
    "itas-2y",
    "itas-extension-6m",
    "itas-extension-1y",
    "itas-extension-2y",
    "itap-5y",
}


@pytest.mark.parametrize(("code", "amount"), AMOUNTS.items())
def test_it_ships_the_fee_of_every_service_from_pp_45_2024_on(service, code, amount):
    # given the migrated catalogue
    fees = fee_in_force(service(code), on=PP_45_2024)
    # then the fee is in force from the day PP 45/2024 took effect, not before
    assert fees.is_set
    assert fees.total == amount
    assert not fee_in_force(service(code), on=date(2024, 12, 17)).is_set


def test_it_marks_figures_not_confirmed_under_pp_45_2024(catalogue):
    unconfirmed = set(
        Fee.objects.filter(is_confirmed=False).values_list("service_type__code", flat=True)
    )
    assert unconfirmed == UNCONFIRMED
    for fee in Fee.objects.filter(service_type__code__in=UNCONFIRMED):
        assert "unconfirmed" in (fee.note + fee.legal_basis).lower()


def test_every_value_says_where_it_comes_from(catalogue):
    assert ServiceType.objects.count() == len(AMOUNTS)
    for model in (Fee, SlaRule, BillingRule):
        assert all(row.legal_basis and row.source for row in model.objects.all()), model
    assert all(doc.source for doc in RequiredDocument.objects.all())
    assert all(s.source for s in ServiceType.objects.all())


def test_it_uses_zero_fee_variants_for_replacements_after_a_disaster(service):
    lost = service("passport-replacement-lost-disaster")
    assert fee_in_force(lost).total == 0
    assert fee_in_force(lost).is_set  # Rp0 is a fee, not a missing one
    assert {d.code for d in lost.documents.all()} >= {"police-report", "bap"}


def test_it_offers_stay_services_for_foreigners_only_at_kotabumi(catalogue, kotabumi, liwa):
    at_liwa = set(services_offered(office=liwa).values_list("code", flat=True))
    at_kotabumi = set(services_offered(office=kotabumi).values_list("code", flat=True))
    assert "passport-ordinary-5y" in at_liwa
    assert "passport-ordinary-5y" in at_kotabumi
    assert not any(code.startswith(("itk-", "itas-", "itap-", "re-entry-")) for code in at_liwa)
    assert {"itk-30d", "itas-1y", "itap-5y", "re-entry-1y", "splp-foreigner"} <= at_kotabumi
    assert "visa-on-arrival" not in at_kotabumi  # issued at the port of entry


def test_it_has_the_service_standards(service):
    # then passports follow Permenkumham 18/2022 Art. 22, replacements the upper bound
    passport = sla_in_force(service("passport-electronic-10y"))
    assert passport.working_days == 4
    assert "18/2022" in passport.legal_basis
    assert passport.is_confirmed
    assert sla_in_force(service("passport-replacement-lost")).working_days == 8
    assert sla_in_force(service("passport-same-day")).working_days == 0
    itk = sla_in_force(service("itk-30d"))
    assert itk.working_days == 4
    assert not itk.is_confirmed
    assert sla_in_force(service("visa-on-arrival")) is None


def test_passport_bills_expire_after_two_hours_and_others_after_seven_days(service):
    passport = service("passport-ordinary-5y").billing_rule
    assert (passport.expiry_minutes, passport.on_expiry) == (120, "cancel")
    itk = service("itk-30d").billing_rule
    assert (itk.expiry_minutes, itk.on_expiry) == (10080, "reissue")


def test_passports_need_the_documents_of_the_service_standard(service):
    documents = {d.code: d for d in service("passport-ordinary-10y").documents.all()}
    assert list(documents) == ["e-ktp", "kartu-keluarga", "civil-record", "name-change-decree"]
    assert all(d.is_confirmed for d in documents.values())
    assert not documents["name-change-decree"].is_mandatory
    assert documents["name-change-decree"].condition_en
    assert "akta kelahiran" in documents["civil-record"].name_id
    damaged = service("passport-replacement-damaged").documents.get()
    assert damaged.code == "damaged-passport"


def test_documents_not_in_the_domain_facts_are_marked_unconfirmed(service):
    for doc in service("itas-1y").documents.all():
        assert not doc.is_confirmed
        assert "UNCONFIRMED" in doc.source


def test_loading_again_changes_nothing(catalogue):
    # given the migrated catalogue
    before = {name: model.objects.count() for name, model in current_models().items()}
    # when the loader runs a second time
    load_catalogue(current_models(), Office)
    # then no row was added
    assert {name: model.objects.count() for name, model in current_models().items()} == before


def test_what_a_service_issues_is_a_kind_of_the_offices_one_vocabulary(catalogue):
    # given the catalogue's choices of what a service issues
    issues = ServiceType._meta.get_field("issued_kind").choices
    # then they are the shared vocabulary of issued documents, or nothing
    assert [value for value, _label in issues] == ["", *DocumentKind.values]
    # and every shipped service names one, passports and SPLPs apart
    shipped = dict(ServiceType.objects.values_list("code", "issued_kind"))
    assert set(shipped.values()) <= {"", *DocumentKind.values}
    assert shipped["passport-ordinary-5y"] == DocumentKind.PASSPORT
    assert shipped["splp-citizen"] == shipped["splp-foreigner"] == DocumentKind.TRAVEL_DOCUMENT
    assert shipped["itas-1y"] == DocumentKind.STAY_PERMIT
    assert shipped["visa-on-arrival"] == ""  # issued at the port, not here
