"""``manage.py restore``: an archive into a new database and a new folder, checked.

A restore never writes over the live database or the live storage folder:
PostgreSQL gets a new database (``CREATE DATABASE`` on the live server, then
``pg_restore``), SQLite a new file, the stored files a new folder. Going live
on the copy is a separate, deliberate step (docs/operations.md, "Restore").

What is checked, in this order, every problem collected (the summary lists
them all and the command exits non-zero):

1. the archive: the manifest is there and of a known format, every member it
   names is present, no member is unnamed;
2. every member's SHA-256 and size (the database dump, each stored file),
   while it is copied out;
3. the database loads (``pg_restore --exit-on-error``);
4. with ``verify``: every table's row count and checksum (the same
   ``fingerprints`` the backup recorded), and each domain check of
   ``settings.SIMI_BACKUP_CHECKS`` on the copy (the audit log verified from
   its rows, its size and root equal to the manifest's).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from simi.core.backups import databases
from simi.core.backups.archive import FILES, FORMAT, MANIFEST, backup_checks
from simi.core.backups.databases import BackupFailed
from simi.core.backups.fingerprints import Progress, database_fingerprints

_CHUNK = 1024 * 1024


@dataclass
class RestoreReport:
    database: str
    files_folder: Path
    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    files: int = 0
    checks: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    dropped: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def _copy_out(source: IO[bytes], target: Path) -> tuple[str, int]:
    """Write a member to a new file (never over one); its SHA-256 and size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def _compare_member(
    report: RestoreReport, what: str, expected: dict[str, Any], got: tuple[str, int]
) -> None:
    sha, size = got
    if sha != expected.get("sha256") or size != expected.get("bytes"):
        report.problems.append(
            f"{what}: checksum differs from the manifest (SHA-256 {sha}, {size:,} bytes; "
            f"manifest {expected.get('sha256')}, {expected.get('bytes')} bytes)"
        )


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        handle = tar.extractfile(MANIFEST)
    except KeyError:
        raise BackupFailed("The archive has no manifest.json: not a SIMI backup.") from None
    if handle is None:
        raise BackupFailed("The archive's manifest.json is not a file.")
    try:
        manifest = json.loads(handle.read())
    except ValueError as exc:
        raise BackupFailed(f"The archive's manifest.json is not JSON: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupFailed(f"The manifest is not of the format {FORMAT}.")
    return manifest


def _check_members(report: RestoreReport, tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    expected = {MANIFEST, manifest["database"]["member"]}
    expected |= {FILES + name for name in manifest.get("files", {})}
    present = {member.name for member in tar.getmembers() if member.isfile()}
    for name in sorted(expected - present):
        report.problems.append(f"archive: {name} is named by the manifest but missing")
    for name in sorted(present - expected):
        report.problems.append(f"archive: {name} is not named by the manifest")
    for member in tar.getmembers():
        if not member.isfile() or not _safe_member(member.name):
            report.problems.append(f"archive: {member.name!r} is not a plain relative file")


def _default_database_name(using: str, vendor: str) -> str:
    live = connections[using].settings_dict["NAME"]
    if vendor == "postgresql":
        base = re.sub(r"[^A-Za-z0-9_]", "_", str(live))[:40] or "simi"
        return f"{base}_restore_{_stamp()}"
    path = Path(str(live))
    return str(path.with_name(f"{path.stem}-restore-{_stamp()}{path.suffix or '.sqlite3'}"))


def _default_files_folder() -> Path:
    media = Path(settings.MEDIA_ROOT)
    return media.with_name(f"{media.name}-restore-{_stamp()}")


def _refuse_live(using: str, vendor: str, database: str, files_folder: Path) -> None:
    live = connections[using].settings_dict["NAME"]
    if vendor == "postgresql":
        databases.plain_database_name(database)
        if database == live:
            raise BackupFailed("A restore never goes into the live database; name a new one.")
        if databases.pg_database_exists(using, database):
            raise BackupFailed(f"Database {database} exists; a restore goes into a new one.")
    else:
        target = Path(database)
        if target.resolve() == Path(str(live)).resolve():
            raise BackupFailed("A restore never goes into the live database; name a new file.")
        if target.exists():
            raise BackupFailed(f"{target} exists; a restore goes into a new file.")
    if files_folder.resolve() == Path(settings.MEDIA_ROOT).resolve():
        raise BackupFailed("A restore never writes into the live storage folder.")
    if files_folder.exists() and any(files_folder.iterdir()):
        raise BackupFailed(f"{files_folder} is not empty; files are restored into a new folder.")


def _restore_files(
    report: RestoreReport, tar: tarfile.TarFile, manifest: dict[str, Any], say: Progress
) -> None:
    files: dict[str, Any] = manifest.get("files", {})
    for number, (name, expected) in enumerate(sorted(files.items()), start=1):
        if not _safe_member(name):
            report.problems.append(f"file {name!r}: not a plain relative name; not restored")
            continue
        try:
            handle = tar.extractfile(FILES + name)
        except KeyError:
            continue  # reported by _check_members
        if handle is None:
            continue
        got = _copy_out(handle, report.files_folder / name)
        _compare_member(report, f"file {name}", expected, got)
        report.files += 1
        if number % 500 == 0:
            say(f"files: {number:,} of {len(files):,} restored")
    say(f"files: {report.files:,} restored into {report.files_folder}")


def _compare_tables(
    report: RestoreReport, expected: dict[str, Any], alias: str, say: Progress
) -> None:
    found = database_fingerprints(alias, say)
    for table in sorted(set(expected) - set(found)):
        report.problems.append(f"table {table}: in the manifest, missing after the restore")
    for table in sorted(set(found) - set(expected)):
        report.problems.append(f"table {table}: present after the restore, not in the manifest")
    for table in sorted(set(found) & set(expected)):
        got, want = found[table], expected[table]
        if got.rows != want.get("rows"):
            report.problems.append(
                f"table {table}: {got.rows:,} rows restored, the manifest says {want.get('rows')}"
            )
        elif got.sha256 != want.get("sha256"):
            report.problems.append(f"table {table}: the rows' checksum differs from the manifest")
    report.tables = len(found)
    report.rows = sum(fingerprint.rows for fingerprint in found.values())


def _run_checks(report: RestoreReport, manifest: dict[str, Any], alias: str, say: Progress) -> None:
    recorded: dict[str, Any] = manifest.get("checks", {})
    for name, (_summary, verify) in backup_checks().items():
        if name not in recorded:
            report.problems.append(f"{name}: not recorded in the manifest")
            continue
        say(f"{name}: verifying the restored copy")
        problems = verify(using=alias, expected=recorded[name], progress=say)
        report.problems.extend(f"{name}: {problem}" for problem in problems)
        report.checks[name] = recorded[name]


def restore_archive(
    *,
    archive: Path,
    using: str = DEFAULT_DB_ALIAS,
    database: str | None = None,
    files_folder: Path | None = None,
    verify: bool = True,
    drop_after: bool = False,
    progress: Progress | None = None,
) -> RestoreReport:
    """Restore ``archive`` beside the live database ``using``; see the module.

    With ``drop_after`` what the restore made is removed at the end, whatever
    happened (a drill); otherwise the copy stays for the operator."""
    say: Progress = progress or (lambda _message: None)
    started = time.monotonic()
    databases.refuse_inside_transaction(using)
    vendor = connections[using].vendor
    try:
        tar = tarfile.open(archive, mode="r:")  # noqa: SIM115 - closed below
    except (OSError, tarfile.TarError) as exc:
        raise BackupFailed(f"{archive} cannot be read as a tar archive: {exc}") from exc
    with tar:
        manifest = read_manifest(tar)
        if manifest["database"].get("vendor") != vendor:
            raise BackupFailed(
                f"The archive holds a {manifest['database'].get('vendor')} database; this "
                f"SIMI runs on {vendor} (set DATABASE_URL to a server of the archive's kind)."
            )
        report = RestoreReport(
            database=database or _default_database_name(using, vendor),
            files_folder=files_folder or _default_files_folder(),
        )
        _refuse_live(using, vendor, report.database, report.files_folder)
        try:
            restored = _restore(report, tar, manifest, using, say)
            report.seconds["restore"] = time.monotonic() - started
            if verify and restored:
                checking = time.monotonic()
                settings_dict = connections[using].settings_dict
                with databases.database_alias(settings_dict, report.database) as alias:
                    try:
                        _compare_tables(report, manifest.get("tables", {}), alias, say)
                        _run_checks(report, manifest, alias, say)
                    except DatabaseError as damaged:
                        # A changed byte can break the file itself, not only a row:
                        # that is a finding of the verification, not a crash.
                        report.problems.append(
                            f"database {report.database}: the restored copy cannot be read "
                            f"({damaged})"
                        )
                report.seconds["verify"] = time.monotonic() - checking
            report.seconds["total"] = time.monotonic() - started
        finally:
            if drop_after:
                restored_drop(using=using, vendor=vendor, report=report)
    return report


def _restore(
    report: RestoreReport,
    tar: tarfile.TarFile,
    manifest: dict[str, Any],
    using: str,
    say: Progress,
) -> bool:
    """Copy out and load the database, then the files; False when the
    database did not load (nothing to verify)."""
    _check_members(report, tar, manifest)
    vendor = connections[using].vendor
    member = manifest["database"]["member"]
    try:
        handle = tar.extractfile(member)
    except KeyError:
        handle = None
    if handle is None:
        raise BackupFailed(f"The archive has no database ({member}); nothing to restore.")
    restored = True
    with tempfile.TemporaryDirectory(prefix=".simi-restore-") as work:
        copy = Path(work) / "dump" if vendor == "postgresql" else Path(report.database)
        got = _copy_out(handle, copy)
        _compare_member(report, f"database {member}", manifest["database"], got)
        say(f"database: {member} copied out ({got[1]:,} bytes)")
        if vendor == "postgresql":
            databases.pg_create_database(using, report.database, manifest["database"])
            try:
                databases.pg_restore(using, report.database, copy)
            except BackupFailed as failed:
                report.problems.append(f"database: {failed}")
                restored = False
    say(f"database: restored into {report.database}")
    _restore_files(report, tar, manifest, say)
    return restored


def restored_drop(*, using: str, vendor: str, report: RestoreReport) -> None:
    """Remove what a restore made (a drill keeps nothing)."""
    if vendor == "postgresql":
        databases.pg_drop_database(using, report.database)
    else:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(report.database + suffix).unlink(missing_ok=True)
    shutil.rmtree(report.files_folder, ignore_errors=True)
    report.dropped = True
