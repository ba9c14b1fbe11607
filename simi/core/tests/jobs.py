"""Jobs for the worker fault tests: each leaves its trace in files, so that a
test counts how often it started and how often it finished."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task

from simi.core.models import WorkerHeartbeat


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


@task(priority=100)
def slow_job(folder: str, name: str, seconds: float) -> str:
    """Note a start, wait, ask the database something, note the finish."""
    _append(Path(folder) / f"{name}.started", "started")
    time.sleep(seconds)
    WorkerHeartbeat.objects.count()  # meets the database, whatever state it is in
    _append(Path(folder) / f"{name}.done", "done")
    return name


def lines(folder: Path, name: str) -> int:
    path = folder / name
    return len(path.read_text().splitlines()) if path.exists() else 0


@task(priority=100)
def hangs_the_first_time(folder: str, name: str) -> str:
    """Note a start; the first run then hangs (its worker is killed meanwhile),
    a later one finishes at once."""
    first = lines(Path(folder), f"{name}.started") == 0
    _append(Path(folder) / f"{name}.started", "started")
    if first:
        time.sleep(600)
    _append(Path(folder) / f"{name}.done", "done")
    return name
