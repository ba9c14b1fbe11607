"""A full disk during an upload: a clear 507 in the user's language, nothing
half stored (issue 13, "disk full during an upload").

The file store is a real, tiny tmpfs mounted for the test (root only; the
suite runs as root in CI); no storage call is faked."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from simi.applications.models import ApplicationDocument
from simi.applications.tests.files import pdf_bytes

API = "/api/v1"


@pytest.fixture
def tiny_disk(tmp_path: Path, settings):
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24k", "tmpfs", str(media)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("needs permission to mount a small tmpfs (root)")
    settings.MEDIA_ROOT = media
    try:
        yield media
    finally:
        subprocess.run(["umount", "-l", str(media)], check=False)


def _upload(client, application, content: bytes, name: str):
    file = io.BytesIO(content)
    file.name = name
    return client.post(
        f"{API}/applications/{application.public_id}/documents",
        {"requirement_code": "kartu-keluarga", "file": file},
    )


def test_an_upload_into_a_full_disk_is_refused_with_507_and_nothing_is_kept(
    tiny_disk, draft, ani, client_for
):
    # given an applicant with an open application, and a file store of 24 kB
    client = client_for(ani)
    client.cookies["django_language"] = "en"
    # when she uploads files of about 6 kB until the store is full
    answers = []
    for n in range(8):
        content = pdf_bytes(pages=6, text=f"Kartu Keluarga halaman {n} (synthetic) " * 3)
        answers.append(_upload(client, draft, content, f"kk-{n}.pdf"))
        if answers[-1].status_code != 201:
            break
    refused = answers[-1]
    # then the first ones are stored, and the one that does not fit is refused plainly
    assert [a.status_code for a in answers[:-1]]
    assert {a.status_code for a in answers[:-1]} == {201}
    assert refused.status_code == 507, refused.content
    error = refused.json()["error"]
    assert error["code"] == "storage_full"
    assert error["message"].startswith("SIMI cannot store files at the moment. Nothing was saved")
    assert refused["Retry-After"] == "300"
    # and nothing is half stored: one file per document row, no partial file left
    stored = ApplicationDocument.objects.filter(application=draft)
    files = sorted(p.name for p in tiny_disk.rglob("*") if p.is_file())
    assert stored.count() == len(answers) - 1
    assert files == sorted(Path(d.storage_name).name for d in stored)
