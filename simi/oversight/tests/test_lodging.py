import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from simi.core.errors import NotFound, ValidationFailed
from simi.oversight.lodging.imports import lodging_import_file
from simi.oversight.lodging.services import GuestData, lodging_report_submit, row_error_message
from simi.oversight.models import LodgingImport, LodgingReport

pytestmark = pytest.mark.django_db

HEADER = "full_name,nationality,passport_number,check_in,check_out\n"
GOOD = (
    HEADER
    + "Tesanu Volaki,AUS,X12345678,2026-05-01 14:00,2026-05-02 10:00\n"
    + "Miro Kadelu,NLD,NX998877,2026-05-01 15:30,\n"
    + "Bao Renuti,JPN,TR1234567,2026-04-28 09:00,\n"
)


@freeze_time("2026-05-02 12:00:00+07:00")
def test_a_good_file_imports_every_row_and_a_reupload_changes_nothing(place, foreigner):
    first = lodging_import_file(actor=None, place=place, raw=GOOD.encode())
    assert first.status == LodgingImport.Status.DONE
    assert (first.created_count, first.unchanged_count) == (3, 0)
    assert first.content is None  # the file is not kept once imported
    late = LodgingReport.objects.get(nationality="JPN")
    assert late.is_late  # reported 4 days after check-in
    assert not LodgingReport.objects.get(nationality="NLD").is_late
    matched = LodgingReport.objects.get(nationality="AUS")
    assert matched.foreigner == foreigner
    # when the same file comes again
    again = lodging_import_file(actor=None, place=place, raw=GOOD.encode())
    # then nothing changes
    assert again.status == LodgingImport.Status.DONE
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 3)
    assert LodgingReport.objects.count() == 3


@freeze_time("2026-05-02 12:00:00+07:00")
def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(place):
    bad = (
        HEADER
        + "Tesanu Volaki,AUS,X12345678,2026-05-01 14:00,\n"  # line 2 good
        + ",AUS,X22345678,2026-05-01 14:00,\n"  # line 3: no name
        + "Miro Kadelu,NL,NX998877,2026-05-01 15:30,\n"  # line 4: nationality
        + "Bao Renuti,JPN,TR1234567,yesterday,\n"  # line 5: check-in
        + "Tesanu Volaki,AUS,X12345678,2026-05-01 14:00,\n"  # line 6: duplicate of 2
        + "Lio Pamet,FRA,14AB12345,2026-05-01 14:00,2026-04-30 10:00\n"  # line 7: out before in
        + "too,few\n"  # line 8
    )
    upload = lodging_import_file(actor=None, place=place, raw=bad.encode())
    assert upload.status == LodgingImport.Status.REJECTED
    assert LodgingReport.objects.count() == 0
    by_line = {(e["line"], e["code"]) for e in upload.errors}
    assert by_line == {
        (3, "name_required"),
        (4, "nationality_format"),
        (5, "check_in_format"),
        (6, "duplicate_in_file"),
        (7, "check_out_before_check_in"),
        (8, "columns"),
    }
    assert row_error_message("check_in_format").startswith("Check-in") or row_error_message(
        "check_in_format"
    )


def test_a_file_that_is_not_utf8_is_refused(place):
    latin1 = (HEADER + "José Ñandú,ESP,PA1234567,2026-05-01 14:00,\n").encode("latin-1")
    with pytest.raises(ValidationFailed) as caught:
        lodging_import_file(actor=None, place=place, raw=latin1)
    assert caught.value.code == "file_encoding"
    assert "UTF-8" in str(caught.value.fields["file"][0])
    assert LodgingImport.objects.count() == 0


def test_an_oversize_file_or_a_wrong_header_is_refused(place, settings):
    settings.SIMI_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationFailed) as caught:
        lodging_import_file(actor=None, place=place, raw=GOOD.encode())
    assert caught.value.code == "file_too_large"
    settings.SIMI_MAX_UPLOAD_BYTES = 10_000
    with pytest.raises(ValidationFailed) as caught:
        lodging_import_file(actor=None, place=place, raw=b"name,passport\nA,B\n")
    assert caught.value.code == "file_header"


@freeze_time("2026-05-02 12:00:00+07:00")
def test_a_check_out_row_completes_the_stay(place):
    lodging_import_file(
        actor=None,
        place=place,
        raw=(HEADER + "Miro Kadelu,NLD,NX998877,2026-05-01 15:30,\n").encode(),
    )
    upload = lodging_import_file(
        actor=None,
        place=place,
        raw=(HEADER + "Miro Kadelu,NLD,NX998877,2026-05-01 15:30,2026-05-02 09:00\n").encode(),
    )
    assert upload.updated_count == 1
    assert LodgingReport.objects.get().check_out is not None


@freeze_time("2026-05-02 12:00:00+07:00")
def test_the_command_lists_bad_rows_with_line_numbers(place, tmp_path, capsys):
    path = tmp_path / "guests.csv"
    path.write_text(HEADER + "Tesanu Volaki,AUS,X12345678,2026-05-01 14:00,\n,AUS,1,x,\n")
    with pytest.raises(CommandError):
        call_command("import_lodging_reports", str(path), "--place", place.code, "--language", "en")
    out = capsys.readouterr().out
    assert "Nothing imported: 1 bad rows of 2" in out
    assert "line 3 [full_name]: The guest's name is empty." in out
    assert LodgingReport.objects.count() == 0
    path.write_text(GOOD)
    call_command("import_lodging_reports", str(path), "--place", place.code)
    assert LodgingReport.objects.count() == 3


@freeze_time("2026-05-02 12:00:00+07:00")
def test_a_partner_reports_only_to_its_own_place(partner, place, other_place):
    data = GuestData("Tesanu Volaki", "AUS", "X12345678", "2026-05-01 14:00")
    first = lodging_report_submit(actor=partner, place=place, data=data, source="web")
    again = lodging_report_submit(actor=partner, place=place, data=data, source="web")
    assert (first.outcome, again.outcome) == ("created", "unchanged")
    with pytest.raises(NotFound):
        lodging_report_submit(actor=partner, place=other_place, data=data, source="web")
