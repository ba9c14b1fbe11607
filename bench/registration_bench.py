"""Registration benchmark: does its time tell whether an address has an account?

Posts the registration form through Django's whole request stack (in process)
with the production password hasher (Argon2id), alternating addresses nobody
has with the address of an existing account, and prints the median time of
each. They should be the same within noise (docs/security.md, "Same work for
every address"); before the fix a known address answered in about a sixth of
the time, because only a new one was hashed.

Runs in a throwaway database (var/bench/*.sqlite3, or ``<name>_registration_bench``
on PostgreSQL), created and dropped here.

    .venv/bin/python bench/run.py registration
    BENCH_REGISTRATIONS=50 ...               posts of each kind (default 20)
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTS = int(os.environ.get("BENCH_REGISTRATIONS", "20"))
PASSWORD = "kopi-liwa-pagi-2026"  # noqa: S105 - a benchmark's throwaway password


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simi.settings_test")
    import django

    django.setup()


@contextmanager
def _throwaway_database() -> Iterator[None]:
    from django.db import connection

    settings = connection.settings_dict
    folder = ROOT / "var" / "bench"
    if connection.vendor == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        name = str(folder / f"registration-{os.getpid()}.sqlite3")
    else:
        name = f"{settings['NAME']}_registration_bench"
    settings["TEST"] = {**settings.get("TEST", {}), "NAME": name}
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)
        for leftover in folder.glob(f"registration-{os.getpid()}.sqlite3*"):
            leftover.unlink()


def _post(client: object, email: str, n: int) -> float:
    body = {
        "full_name": "Siti Rahmawati",
        "email": email,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
    }
    # A new address for every post: the registration limit (per address) stays out of it.
    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    started = time.perf_counter()
    response = client.post("/akun/daftar/", body, REMOTE_ADDR=address)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - started
    assert response.status_code == 302, response.status_code
    return elapsed * 1000


def main() -> None:
    _setup_django()
    from django.test import Client, override_settings

    hashers = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    with _throwaway_database(), override_settings(PASSWORD_HASHERS=hashers):
        from simi.accounts.services import applicant_register

        applicant_register(email="ada@example.test", full_name="Ada", password=PASSWORD)
        client = Client()
        _post(client, "pemanasan@example.test", 0)  # warm-up: imports, first audit entry
        unknown, known = [], []
        for n in range(POSTS):
            unknown.append(_post(client, f"baru{n}@example.test", 2 * n + 1))
            known.append(_post(client, "ada@example.test", 2 * n + 2))
    print(f"registration, {POSTS} posts each, Argon2id, in-process HTTP:")
    print(f"  unknown address: median {statistics.median(unknown):7.1f} ms")
    print(f"  known address:   median {statistics.median(known):7.1f} ms")


if __name__ == "__main__":
    main()
