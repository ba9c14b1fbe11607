"""Load: locust users on the production web server (issue 13, item 4).

A demo office on its own PostgreSQL cluster, gunicorn with
deploy/gunicorn.conf.py and the worker (the set-up of drills/fault_drills.py),
then bench/load/locustfile.py: the public (tracking, catalogue, verification),
applicants (dashboard, create, upload, submit) and officers (queue work).

1. Steady load: SIMI_LOAD_USERS (30) users for SIMI_LOAD_SECONDS (300 s):
   p50/p95/p99 and errors per operation. Target on the 2-core reference
   machine: p95 < 500 ms with 0 errors.
2. Step test: 20, 40, 60, ... users for SIMI_LOAD_STEP_SECONDS (40 s) each
   until p95 passes 500 ms or 1 % of requests fail: the knee.

    .venv/bin/python bench/run.py load
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drills.fault_drills import PYTHON, Simi, office  # noqa: E402

USERS = int(os.environ.get("SIMI_LOAD_USERS", "30"))
SECONDS = int(os.environ.get("SIMI_LOAD_SECONDS", "300"))
STEP_SECONDS = int(os.environ.get("SIMI_LOAD_STEP_SECONDS", "40"))
TARGET_P95_MS = 500

ACCOUNTS = """
import json
from datetime import date
from django.utils import timezone
from simi.accounts.models import User
from simi.accounts.claims.services import applicant_identity_save
from simi.accounts.services import api_token_create
from simi.applications.models import Application
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal_text
from simi.people.services import PersonData
applicants = []
for n in range(1, 41):
    email = f"load{n:03d}@load.simi.invalid"
    user = User.objects.filter(email=email).first()
    if user is None:
        name = f"Load Citizen {n} (synthetic)"
        user = User.objects.create(email=email, full_name=name, email_verified_at=timezone.now())
        applicant_identity_save(actor=user, data=PersonData(
            kind="citizen", full_name=name, nik=f"18040520{n % 12 + 1:02d}91{n:04d}",
            address="Alamat uji beban (sintetis)", birth_date=date(1991, n % 12 + 1, 20), sex="M"))
    applicants.append(api_token_create(actor=user, name="load", scopes=["profile"], days=1)[1])
staff = []
for local, work in (("petugas.liwa", "applications:process"), ("kasi.liwa", "applications:decide")):
    officer = User.objects.get(email=f"{local}@demo.simi.invalid")
    scopes = ["profile", "staff:read", work]
    staff.append(api_token_create(actor=officer, name="load", scopes=scopes, days=1)[1])
tracking = [
    a.tracking_code
    for a in Application.objects.filter(tracking_code__isnull=False).exclude(tracking_code="")[:50]
]
seals = [document_seal_text(d) for d in IssuedDocument.objects.all()[:10]]
print(json.dumps({"applicants": applicants, "staff": staff, "tracking": tracking, "seals": seals}))
"""


def _locust(simi: Simi, work: Path, users: int, seconds: int, label: str) -> list[dict[str, str]]:
    prefix = work / label
    subprocess.run(
        [
            PYTHON, "-m", "locust", "--headless",
            "-f", str(ROOT / "bench" / "load" / "locustfile.py"),
            "-u", str(users), "-r", str(max(5, users // 5)), "-t", f"{seconds}s",
            "--host", f"http://127.0.0.1:{simi.port}", "--csv", str(prefix),
            "--only-summary", "--loglevel", "ERROR",
        ],
        cwd=ROOT, env={**os.environ, "SIMI_LOAD_ACCOUNTS": str(work / "accounts.json"),
                       "SIMI_LOAD_PDF": str(work / "kk.pdf")},
        capture_output=True, text=True, timeout=seconds + 120, check=False,
    )  # fmt: skip
    with (work / f"{label}_failures.csv").open() as handle:
        for failure in csv.DictReader(handle):
            print(f"  failed {failure['Occurrences']}x {failure['Name']}: {failure['Error'][:120]}")
    with (work / f"{label}_stats.csv").open() as handle:
        return list(csv.DictReader(handle))


def _table(rows: list[dict[str, str]]) -> None:
    print(f"{'operation':<48} {'requests':>8} {'errors':>6} {'p50':>6} {'p95':>6} {'p99':>6}")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all"
        print(
            f"{name:<48} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )


def main() -> None:
    from simi.applications.tests.files import pdf_bytes

    with tempfile.TemporaryDirectory(prefix="simi-load-") as folder, office() as (_cluster, simi):
        work = Path(folder)
        (work / "kk.pdf").write_bytes(pdf_bytes(pages=1, text="Kartu Keluarga (synthetic load)"))
        out = simi.manage("shell", "-c", ACCOUNTS)
        (work / "accounts.json").write_text(out.strip().splitlines()[-1])
        counts = json.loads((work / "accounts.json").read_text())
        print(
            f"load: {len(counts['applicants'])} applicants, {len(counts['staff'])} officers, "
            f"{len(counts['tracking'])} tracking codes, {len(counts['seals'])} seals"
        )
        print(f"\nsteady: {USERS} users for {SECONDS} s (milliseconds)")
        rows = _locust(simi, work, USERS, SECONDS, "steady")
        _table(rows)
        total = next(r for r in rows if r["Name"] == "Aggregated")
        verdict = int(total["Failure Count"]) == 0 and float(total["95%"]) < TARGET_P95_MS
        print(f"target p95 < {TARGET_P95_MS} ms with 0 errors: {'met' if verdict else 'NOT met'}")
        print(f"\nstep test: {STEP_SECONDS} s per step")
        print(f"{'users':>6} {'req/s':>7} {'errors':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
        users = 20
        while users <= 200:
            step = _locust(simi, work, users, STEP_SECONDS, f"step{users}")
            total = next(r for r in step if r["Name"] == "Aggregated")
            requests = int(total["Request Count"]) or 1
            errors = int(total["Failure Count"])
            print(
                f"{users:>6} {float(total['Requests/s']):>7.1f} {errors:>7} "
                f"{total['50%']:>6} {total['95%']:>6} {total['99%']:>6}"
            )
            if float(total["95%"]) > TARGET_P95_MS or errors / requests > 0.01:
                print(f"knee: p95 passes {TARGET_P95_MS} ms or errors pass 1 % at {users} users")
                break
            users += 20


if __name__ == "__main__":
    main()
