"""Pay a bill as the demo bank would: a correctly signed notification through
the same service as POST /api/v1/payments/notifications. Development, demo
and end-to-end tests only; refused when SIMI_ENV=production."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from simi.core.errors import SimiError
from simi.core.money import format_rupiah
from simi.payments import billingcodes
from simi.payments.channels import DEMO_CHANNEL_CODE, demo_channel_ensure, demo_ntpn, sign
from simi.payments.models import Bill, PaymentChannel
from simi.payments.payment_notices import payment_notification_receive


class Command(BaseCommand):
    help = (
        "Pay a bill by its 15-digit billing code as a payment channel would "
        "(demo and tests only; refused in production)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("billing_code", help="The bill's 15-digit code (spaces allowed).")
        parser.add_argument(
            "--channel", default=DEMO_CHANNEL_CODE, help="Channel code (default: demo-bank)."
        )
        parser.add_argument(
            "--reference", default="", help="The channel's reference (default: a random one)."
        )
        parser.add_argument(
            "--ntpn",
            default="",
            help="The receipt number (NTPN, 16 digits or capital letters; default: a random one).",
        )
        parser.add_argument(
            "--amount", type=int, default=None, help="Amount paid (default: the bill's amount)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("simulate_payment is refused when SIMI_ENV=production.")
        try:
            code = billingcodes.normalize(options["billing_code"])
        except SimiError as exc:
            raise CommandError(str(exc.message)) from exc
        bill = Bill.objects.filter(billing_code=code).first()
        if bill is None:
            raise CommandError(f"No bill has the billing code {billingcodes.display(code)}.")
        if options["channel"] == DEMO_CHANNEL_CODE:
            channel = demo_channel_ensure()
        else:
            found = PaymentChannel.objects.filter(code=options["channel"]).first()
            if found is None:
                raise CommandError(f"No payment channel {options['channel']!r}.")
            channel = found
        body = json.dumps(
            {
                "billing_code": code,
                "amount": options["amount"] if options["amount"] is not None else bill.amount,
                "reference": options["reference"] or f"SIM-{secrets.token_hex(8).upper()}",
                "paid_at": timezone.localtime().isoformat(timespec="seconds"),
                "ntpn": options["ntpn"] or demo_ntpn(),
            }
        ).encode()
        timestamp = str(int(time.time()))
        try:
            answer = payment_notification_receive(
                channel_code=channel.code,
                timestamp=timestamp,
                signature=sign(channel.secret or "", timestamp, body),
                body=body,
            )
        except SimiError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Paid {billingcodes.display(answer.billing_code)}: "
                f"{format_rupiah(answer.amount)} ({channel.code}, reference {answer.reference}, "
                f"NTPN {json.loads(body)['ntpn']})"
            )
        )
