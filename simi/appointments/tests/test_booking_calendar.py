"""The booking page: the earliest free session first, then a week at a time;
the booking proof with its QR code, print button and calendar file."""

from __future__ import annotations

import re
from datetime import date

from simi.appointments import services
from simi.appointments.models import Booking, Quota, Session
from simi.appointments.tests.conftest import set_places, submitted_application
from simi.catalog.languages import localized
from simi.catalog.selectors import required_documents

DASH = "\N{EN DASH}"


def _book_url(application):
    return f"/janji-temu/permohonan/{application.public_id}/"


def _earliest(html):
    return html[
        html.index('class="panel slot-earliest"') : html.index('class="panel slot-calendar"')
    ]


def _calendar(html):
    return html[html.index('class="panel slot-calendar"') :]


def test_it_offers_the_earliest_free_session_first_with_one_button(client_for, ani, application):
    # given every morning session at Liwa is full
    set_places("ulp-liwa", "pagi", "passport", 0)
    client = client_for(ani)
    # when Ani opens the booking page
    html = client.get(_book_url(application)).content.decode()
    # then the first thing offered is tomorrow afternoon, with one button
    earliest = _earliest(html)
    assert "Selasa, 11 Agustus 2026" in earliest
    assert f"13:00{DASH}15:00" in earliest
    assert 'name="slot" value="2026-08-11|siang"' in earliest
    assert earliest.count("<button") == 1
    # and taking it books that session
    response = client.post(_book_url(application), {"slot": "2026-08-11|siang"})
    booking = Booking.objects.get()
    assert response.status_code == 302
    assert (booking.day, booking.session.code) == (date(2026, 8, 11), "siang")


def test_it_shows_one_week_of_working_days_with_links_to_the_next(client_for, ani, application):
    client = client_for(ani)
    # when Ani opens the booking page (Monday 10 August)
    calendar = _calendar(client.get(_book_url(application)).content.decode())
    # then this week's working days from tomorrow are buttons, the weekend is left out
    assert 'name="slot" value="2026-08-11|pagi"' in calendar
    assert 'name="slot" value="2026-08-14|siang"' in calendar
    assert "Sabtu, 15 Agustus" not in calendar
    assert "Minggu, 16 Agustus" not in calendar
    assert "Senin, 10 Agustus" not in calendar  # today is not bookable
    assert "2026-08-18|" not in calendar
    assert 'type="radio"' not in calendar
    # no week before this one; a link to the next
    assert 'rel="prev"' not in calendar
    assert 'href="?week=2026-W34" rel="next"' in calendar
    # when she follows it
    calendar = _calendar(client.get(_book_url(application) + "?week=2026-W34").content.decode())
    # then next week shows, Independence Day closed and not clickable
    assert 'name="slot" value="2026-08-18|pagi"' in calendar
    assert "Senin, 17 Agustus" in calendar
    assert "Hari Kemerdekaan" in calendar
    assert "2026-08-17|" not in calendar
    assert 'href="?week=2026-W33" rel="prev"' in calendar
    # and a session of another week's page books like any other
    response = client.post(_book_url(application), {"slot": "2026-08-19|pagi"})
    assert response.status_code == 302
    assert Booking.objects.get().day == date(2026, 8, 19)


def test_it_keeps_the_week_inside_the_booking_window(client_for, ani, application):
    client = client_for(ani)
    # a week past the 30-day window shows the last bookable week, without a next link
    far = _calendar(client.get(_book_url(application) + "?week=2026-W45").content.decode())
    assert 'name="slot" value="2026-09-09|pagi"' in far  # the window's last day
    assert "2026-09-10|" not in far
    assert 'rel="next"' not in far
    assert "Belum dibuka untuk pemesanan" in far  # Thursday 10 September: not yet
    # a past week and a malformed one show this week
    for asked in ("2026-W30", "nonsense", "2026-W99"):
        page = _calendar(client.get(_book_url(application), {"week": asked}).content.decode())
        assert 'name="slot" value="2026-08-11|pagi"' in page, asked
        assert 'rel="prev"' not in page


def test_it_shows_a_full_session_as_full_not_as_a_button(client_for, ani, budi, application):
    # given the only morning place of Wednesday is Budi's
    set_places("ulp-liwa", "pagi", "passport", 1)
    services.booking_create(
        actor=budi,
        application=submitted_application(budi),
        day=date(2026, 8, 12),
        session_code="pagi",
    )
    # when Ani opens the booking page
    calendar = _calendar(client_for(ani).get(_book_url(application)).content.decode())
    # then Wednesday morning says full and cannot be pressed
    assert 'value="2026-08-12|pagi"' not in calendar
    assert 'class="slot slot-full" data-slot="2026-08-12|pagi"' in calendar
    assert 'name="slot" value="2026-08-12|siang"' in calendar


def test_it_speaks_english_on_the_english_page(client_for, ani, application):
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    html = client.get(_book_url(application)).content.decode()
    assert "Earliest available" in html
    assert "Tuesday, 11 August 2026" in html
    assert "Next week" in html
    assert "Book this session" in html


def test_the_reschedule_page_offers_the_earliest_other_session(client_for, ani, application):
    # given Ani booked tomorrow morning's first free session
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 13), session_code="pagi"
    )
    client = client_for(ani)
    html = client.get(f"/janji-temu/{booking.public_id}/ubah/").content.decode()
    # then the earliest offer is not the booked session, which is shown as hers
    assert 'value="2026-08-11|pagi"' in _earliest(html)
    assert 'class="slot slot-current" data-slot="2026-08-13|pagi"' in _calendar(html)
    # and the one reschedule still holds
    assert client.post(f"/janji-temu/{booking.public_id}/ubah/", {"slot": "2026-08-11|pagi"})
    booking.refresh_from_db()
    assert booking.day == date(2026, 8, 11)
    assert booking.reschedule_count == 1


# --- the booking proof --------------------------------------------------------


def test_it_shows_a_printable_proof_with_a_qr_code_after_booking(client_for, ani, application):
    client = client_for(ani)
    # when Ani books Wednesday morning
    response = client.post(_book_url(application), {"slot": "2026-08-12|pagi"})
    booking = Booking.objects.get()
    html = client.get(response.url).content.decode()
    # then the page she lands on is the proof: QR of the code, where, when, what to bring
    code = services.display_booking_code(booking.code)
    assert 'src="data:image/svg+xml' in html
    assert f"QR kode pemesanan {code}" in html or code in html
    assert "Unit Layanan Keimigrasian Liwa" in html
    assert "Liwa, Kecamatan Balik Bukit, Kabupaten Lampung Barat" in html
    assert "Rabu, 12 Agustus 2026" in html
    assert f"08:00{DASH}12:00 WIB" in html
    for document in required_documents(application.service_type):
        assert localized(document, "name") in html
    # a print button (shown by a small local script) and the calendar file
    assert "data-print hidden" in html
    assert "/static/appointments/print.js" in html
    assert f'href="/janji-temu/{booking.public_id}/kalender.ics"' in html


def _unfold(text):
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    for line in physical:
        assert len(line.encode("utf-8")) <= 75, line
        assert "\n" not in line
        assert "\r" not in line
    logical: list[str] = []
    for line in physical:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return dict(line.split(":", 1) for line in logical if not line.startswith(("BEGIN", "END")))


def test_it_gives_a_calendar_file_that_parses(client_for, ani, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    client = client_for(ani)
    # when Ani downloads the .ics
    response = client.get(f"/janji-temu/{booking.public_id}/kalender.ics")
    # then it is an iCalendar file with one event at 08:00-12:00 WIB (01:00-05:00 UTC)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "BEGIN:VEVENT\r\n" in text
    assert text.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")
    fields = _unfold(text)
    assert fields["UID"] == f"{booking.public_id}@janji-temu.simi.lampungbarat.go.id"
    assert fields["DTSTART"] == "20260812T010000Z"
    assert fields["DTEND"] == "20260812T050000Z"
    assert re.fullmatch(r"\d{8}T\d{6}Z", fields["DTSTAMP"])
    assert "Paspor" in fields["SUMMARY"] or fields["SUMMARY"]
    assert fields["LOCATION"].startswith("Unit Layanan Keimigrasian Liwa\\, Liwa")
    assert services.display_booking_code(booking.code) in fields["DESCRIPTION"]
    assert "\\n" in fields["DESCRIPTION"]  # the documents, one a line
    # and after the one reschedule the same event moves (same UID, next sequence)
    client.post(f"/janji-temu/{booking.public_id}/ubah/", {"slot": "2026-08-14|siang"})
    moved = _unfold(client.get(f"/janji-temu/{booking.public_id}/kalender.ics").content.decode())
    assert moved["UID"] == fields["UID"]
    assert moved["SEQUENCE"] == "1"
    assert moved["DTSTART"] == "20260814T060000Z"


def test_someone_elses_proof_and_calendar_file_answer_404(client_for, ani, budi, application):
    booking = services.booking_create(
        actor=ani, application=application, day=date(2026, 8, 12), session_code="pagi"
    )
    client = client_for(budi)
    assert client.get(f"/janji-temu/{booking.public_id}/").status_code == 404
    assert client.get(f"/janji-temu/{booking.public_id}/kalender.ics").status_code == 404


def test_it_opens_on_the_week_of_the_earliest_free_session(client_for, ani, application):
    # given this week is fully booked at Liwa (a quota of nought until Sunday)
    for session in Session.objects.filter(office__code="ulp-liwa"):
        Quota.objects.create(
            session=session,
            kind="passport",
            places=0,
            valid_from=date(2026, 8, 11),
            valid_to=date(2026, 8, 16),
        )
    # when Ani opens the booking page
    html = client_for(ani).get(_book_url(application)).content.decode()
    # then the earliest is Tuesday 18 August (the 17th is a holiday), and the
    # calendar shows its week, with a link back to this one
    assert 'value="2026-08-18|pagi"' in _earliest(html)
    calendar = _calendar(html)
    assert 'name="slot" value="2026-08-18|pagi"' in calendar
    assert 'href="?week=2026-W33" rel="prev"' in calendar
