"""manage.py backup and restore --verify, on the database the suite runs on
(SQLite by default, PostgreSQL with DATABASE_URL): real data of several
domains, a real uploaded document, the real pg_dump/pg_restore."""

from __future__ import annotations

import base64
import io
import json
import tarfile
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from simi.applications.models import Application, ApplicationDocument
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.files import pdf_bytes
from simi.audit.models import AuditEntry
from simi.audit.services import tree_head_publish
from simi.core import keys
from simi.core.backups import databases
from simi.core.backups.archive import FILES, MANIFEST
from simi.people.models import Person
from simi.people.services import PersonData, person_create

pytestmark = pytest.mark.django_db(transaction=True)

CANARY = b"CANARY-KARTU-KELUARGA-1804"


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def office_data(applicant, catalogue, client_for, media):
    """A person, a submitted application with an uploaded document (through the
    API), the audit entries they wrote, and a signed tree head."""
    applicant.person = person_create(
        actor=None,
        data=PersonData(
            kind="citizen", full_name="Ani Rahmawati", nik="1804041708850003", address="Pekon"
        ),
    )
    applicant.save(update_fields=["person"])
    application = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    upload = io.BytesIO(pdf_bytes(text=CANARY.decode()))
    upload.name = "kk.pdf"
    response = client_for(applicant).post(
        f"/api/v1/applications/{application.public_id}/documents",
        {"requirement_code": "kartu-keluarga", "file": upload},
    )
    assert response.status_code == 201, response.content
    submit_complete(actor=applicant, application=application)  # adds the other documents
    tree_head_publish()
    return application


@pytest.fixture
def restored_names():
    """New database names for restores; whatever a test made is dropped after it."""
    made: list[str] = []

    def name(tmp: Path) -> str:
        if connection.vendor == "postgresql":
            made.append(f"test_simi_restored_{uuid.uuid4().hex[:10]}")
        else:
            made.append(str(tmp / f"restored-{uuid.uuid4().hex[:6]}.sqlite3"))
        return made[-1]

    yield name
    if connection.vendor == "postgresql":
        for database in made:
            databases.pg_drop_database("default", database)


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.loads(tar.extractfile(MANIFEST).read())


def _rewrite(archive: Path, member: str, change) -> Path:
    """A copy of the archive with one member's bytes changed by ``change``."""
    tampered = archive.with_name(f"tampered-{uuid.uuid4().hex[:6]}.tar")
    with tarfile.open(archive) as source, tarfile.open(tampered, "w") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name == member:
                data = change(data)
                info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    return tampered


def _flip_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


def _restore(
    archive: Path, database: str, folder: Path, err: io.StringIO | None = None
) -> tuple[str, str]:
    out, err = io.StringIO(), err or io.StringIO()
    call_command(
        "restore",
        str(archive),
        "--verify",
        "--database-name",
        database,
        "--files-folder",
        str(folder),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_it_restores_a_backup_with_identical_counts_checksums_files_and_audit_log(
    office_data, tmp_path, restored_names
):
    # given an office with data in several domains and an uploaded document
    archive = tmp_path / "nightly.tar"
    document = ApplicationDocument.objects.get(requirement_code="kartu-keluarga")
    live_file = (Path(settings.MEDIA_ROOT) / document.storage_name).read_bytes()
    # when it is backed up
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    # then the manifest counts what the live database holds and names the file
    manifest = _manifest(archive)
    assert "Backup written" in out.getvalue()
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["core_person"]["rows"] == Person.objects.count() == 1
    assert manifest["tables"]["applications_application"]["rows"] == Application.objects.count()
    assert manifest["tables"]["audit_auditentry"]["rows"] == AuditEntry.objects.count()
    assert manifest["checks"]["audit_log"]["entries"] == AuditEntry.objects.count()
    assert manifest["files"][document.storage_name]["bytes"] == len(live_file)
    assert (tmp_path / "nightly.tar.sha256").read_text().endswith("  nightly.tar\n")
    # and when it is restored into a new database and folder with --verify
    folder = tmp_path / "restored-files"
    restored_out, restored_err = _restore(archive, restored_names(tmp_path), folder)
    # then every count, checksum, file and the audit log match, and the time is shown
    assert restored_err == ""
    assert "Restore verified in " in restored_out
    assert f"{len(manifest['tables'])} tables" in restored_out
    assert "audit_log entries=" in restored_out
    assert (folder / document.storage_name).read_bytes() == live_file
    assert "tree heads: 1 checked" in restored_out


def test_it_finds_a_changed_byte_in_the_database_dump(office_data, tmp_path, restored_names):
    # given a backup whose database member had one byte changed
    archive = tmp_path / "b.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    member = _manifest(archive)["database"]["member"]
    tampered = _rewrite(archive, member, _flip_byte)
    # when it is restored with --verify
    err = io.StringIO()
    with pytest.raises(CommandError) as failed:
        _restore(tampered, restored_names(tmp_path), tmp_path / "files", err)
    # then the restore fails and names the database member
    assert "problem(s)" in str(failed.value)
    assert f"MISMATCH database {member}: checksum differs from the manifest" in err.getvalue()


def test_it_names_the_changed_member_and_every_difference(office_data, tmp_path, restored_names):
    # given a backup in which one stored file changed and the manifest lies about a table
    archive = tmp_path / "b.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    name = ApplicationDocument.objects.get(requirement_code="kartu-keluarga").storage_name
    tampered = _rewrite(archive, FILES + name, _flip_byte)

    def lie(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["tables"]["core_person"]["sha256"] = "0" * 64
        return json.dumps(manifest).encode()

    tampered = _rewrite(tampered, MANIFEST, lie)
    # when it is restored with --verify
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "restore",
            str(tampered),
            "--verify",
            "--database-name",
            restored_names(tmp_path),
            "--files-folder",
            str(tmp_path / "files"),
            "--drop-after",
            stdout=io.StringIO(),
            stderr=err,
        )
    # then each difference is named, and the drill left no files behind
    problems = err.getvalue()
    assert f"MISMATCH file {name}: checksum differs from the manifest" in problems
    assert "MISMATCH table core_person: the rows' checksum differs" in problems
    assert not (tmp_path / "files").exists()


def test_it_never_puts_a_key_in_the_archive(office_data, tmp_path):
    # given the keys this office encrypts, indexes and signs with
    ring = keys.data_keyring()
    secrets = [settings.SECRET_KEY.encode(), keys.index_key(), base64.b64encode(keys.index_key())]
    for key in ring.keys.values():
        secrets += [key, base64.b64encode(key)]
    for private in (keys.signing_key(), keys.seal_key()):
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        secrets.append(b"".join(pem.splitlines()[1:-1]))  # the base64 body
        secrets.append(b"PRIVATE KEY")
    signing_raw = keys.signing_key().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    secrets.append(signing_raw)
    # when the office is backed up
    archive = tmp_path / "b.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    # then no key material is anywhere in it, and the document stays ciphertext
    content = archive.read_bytes()
    for secret in secrets:
        assert secret not in content
    assert CANARY not in content
    assert "No key is in this archive" in _manifest(archive)["keys"]


def test_it_refuses_a_key_folder_inside_the_storage_folder(office_data, tmp_path, monkeypatch):
    # given a key folder placed inside the uploaded files' folder
    monkeypatch.setenv("SIMI_KEY_DIR", str(Path(settings.MEDIA_ROOT) / "keys"))
    # when a backup is asked for, then it refuses and names the folder
    with pytest.raises(CommandError, match="inside the storage folder"):
        call_command("backup", str(tmp_path / "b.tar"), stdout=io.StringIO())
    assert not (tmp_path / "b.tar").exists()


def test_it_never_overwrites_an_archive_or_restores_over_the_live_database(office_data, tmp_path):
    # given an archive already written
    archive = tmp_path / "b.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    before = archive.read_bytes()
    # when another backup names the same file, then it is refused and the archive kept
    with pytest.raises(CommandError, match="never overwrites"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == before
    # and a restore into the live database itself is refused
    live = str(connection.settings_dict["NAME"])
    with pytest.raises(CommandError, match="never goes into the live database"):
        _restore(archive, live, tmp_path / "files")
