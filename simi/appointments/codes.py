"""Audit actions and error codes of appointments (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    BOOKED = "appointments.booked", "An applicant booked a visit for an application."
    RESCHEDULED = (
        "appointments.rescheduled",
        "An applicant moved a booking to another day or session (with the previous one).",
    )
    CANCELLED = "appointments.cancelled", "An applicant cancelled an upcoming booking."
    RELEASED = (
        "appointments.released",
        "A booking was cancelled because its application was cancelled or refused.",
    )
    CHECKED_IN = "appointments.checked_in", "Counter staff checked a booking in: a queue number."
    ATTENDED = (
        "appointments.attended",
        "A booked visit took place: served at the counter or interviewed by an officer.",
    )
    MARKED_MISSED = (
        "appointments.marked_missed",
        "A booking whose day passed without a visit (or whose number did not show) was missed.",
    )
    WALK_IN_REGISTERED = (
        "appointments.walk_in_registered",
        "Counter staff gave a priority visitor without a booking a queue number.",
    )
    CALLED = "appointments.called", "A queue number was called to a counter."
    SERVED = "appointments.served", "A called queue number was served."
    MARKED_NO_SHOW = "appointments.marked_no_show", "A queue number was marked as not showing up."
    ADMIN_ADDED = "appointments.admin_added", "A schedule or quota row was added."
    ADMIN_CHANGED = "appointments.admin_changed", "A schedule or quota row was changed."
    ADMIN_DELETED = (
        "appointments.admin_deleted",
        "A schedule or quota row was deleted in the admin.",
    )


class Code(ErrorCode):
    # booking, rescheduling, cancelling (the applicant)
    BOOKING_CODE_INVALID = "booking_code_invalid", "A booking code has 8 letters and digits."
    BOOKING_CODE_EXHAUSTED = (
        "booking_code_exhausted",
        "No free booking code was found; try again.",
    )
    UNKNOWN_SESSION = "unknown_session", "The office has no such session on this day."
    OUTSIDE_WINDOW = "outside_window", "The day is outside the booking window."
    OFFICE_CLOSED = "office_closed", "The office is closed on this day."
    SLOT_FULL = "slot_full", "The session is fully booked; choose another."
    APPLICATION_NOT_OPEN = (
        "application_not_open",
        "A visit can be booked once the application is submitted and while it is open.",
    )
    NOT_BOOKABLE = "not_bookable", "A surcharge is not a service to book a visit for."
    ALREADY_BOOKED = "already_booked", "The application already has a booking."
    NOT_ACTIVE = "not_active", "The booking is not upcoming: cancelled, missed or done."
    ALREADY_RESCHEDULED = "already_rescheduled", "A booking can be rescheduled only once."
    TOO_LATE = "too_late", "From the day before the visit a booking can only be cancelled."
    SAME_SLOT = "same_slot", "The new day and session are the booked ones."
    # availability
    WEEK_INVALID = "week_invalid", "A week is written YYYY-Www (ISO 8601), e.g. 2026-W33."
    RANGE_REVERSED = "range_reversed", "The end date is before the start date."
    RANGE_TOO_LONG = "range_too_long", "Ask for at most 62 days at a time."
    # the counter
    NOT_COUNTER_STAFF = (
        "not_counter_staff",
        "Only counter staff of the office manage appointments.",
    )
    BOOKING_NOT_FOUND = "booking_not_found", "No booking at this office has this code."
    ALREADY_CHECKED_IN = "already_checked_in", "The booking is already checked in."
    NOT_TODAY = "not_today", "The booking is for another day."
    UNKNOWN_KIND = "unknown_kind", "Choose a kind of service that takes a visit."
    PRIORITY_QUOTA_FULL = "priority_quota_full", "Today's priority walk-in places are all taken."
    COUNTER_INVALID = "counter_invalid", "Name the counter in 1 to 20 characters."
    UNKNOWN_OUTCOME = "unknown_outcome", "A visit ends served or no-show."
    TICKET_NOT_OPEN = "ticket_not_open", "The queue number is not being served now."


FORMERLY = {
    Action.BOOKED: "appointment.booked",
    Action.RESCHEDULED: "appointment.rescheduled",
    Action.CANCELLED: "appointment.cancelled",
    Action.RELEASED: "appointment.released",
    Action.CHECKED_IN: "appointment.checked_in",
    Action.WALK_IN_REGISTERED: "appointment.walk_in",
    Action.CALLED: "appointment.called",
    Action.SERVED: "appointment.served",
    Action.MARKED_NO_SHOW: "appointment.no_show",
}
