"""Screen a CSV of people (lodging reports, passenger or applicant lists) against a watchlist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from simi.screening.batch import InputFormatError, screen_files
from simi.screening.watchlists import WatchlistFormatError

MAX_PROBLEMS_SHOWN = 20


def _threshold(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise CommandError(f"--threshold {value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise CommandError("--threshold must be between 0 and 1")
    return number


class Command(BaseCommand):
    help = (
        "Screen every row of --input (CSV: id,name,birth_date,nationality) against --watchlist "
        "(OpenSanctions targets.simple.csv, FollowTheMoney JSON lines or SIMI watchlist CSV) and "
        "write --output (CSV: input_id,entity_id,score,explanation), best candidate first per "
        "person. A hit is a lead for a human reviewer, never a decision. Bad rows are reported "
        "with their line numbers and skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--watchlist", type=Path, required=True)
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--threshold", type=_threshold, default=0.8)
        parser.add_argument("--progress-every", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        for name in ("watchlist", "input"):
            if not options[name].is_file():
                raise CommandError(f"--{name} {options[name]} is not a file")
        try:
            stats = screen_files(
                options["watchlist"],
                options["input"],
                options["output"],
                options["threshold"],
                progress=lambda n: self.stdout.write(f"{n} rows screened"),
                progress_every=max(1, options["progress_every"]),
            )
        except (WatchlistFormatError, InputFormatError) as exc:
            raise CommandError(str(exc)) from exc
        for label in ("watchlist_problems", "input_problems"):
            problems = stats[label]
            assert isinstance(problems, list)
            for problem in problems[:MAX_PROBLEMS_SHOWN]:
                self.stderr.write(f"{label.split('_')[0]} {problem}")
            if len(problems) > MAX_PROBLEMS_SHOWN:
                self.stderr.write(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more")
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats['entities']} watchlist entries, {stats['inputs']} rows screened, "
                f"{stats['bad_rows']} bad rows, {stats['inputs_with_hits']} with candidates, "
                f"{stats['candidates_written']} candidates written in {stats['seconds']} s"
            )
        )
