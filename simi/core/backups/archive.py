"""``manage.py backup``: the database, the stored files and a manifest in one tar.

Order matters for consistency. The database comes first, from one snapshot
(PostgreSQL: the dump and the manifest's checksums read the same exported
snapshot; SQLite: one online-backup step). The files are walked afterwards,
so every file the snapshot's rows name is there, except one removed in the
seconds between (a document its owner took back); a file added meanwhile is
in the archive but no row names it, which harms nothing.

Nothing in an archive is a key: the database holds ciphertext and blind
indexes, the stored files are encrypted by their domains, and the backup
refuses to run when a key file lies inside the storage folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections

from simi.core.backups import databases
from simi.core.backups.databases import BackupFailed
from simi.core.backups.fingerprints import Progress, database_fingerprints
from simi.core.hooks import named
from simi.core.keys import key_dir

FORMAT = "simi-backup-1"
MANIFEST = "manifest.json"
FILES = "files/"
DATABASE_MEMBER = {"postgresql": "database/simi.pgdump", "sqlite": "database/simi.sqlite3"}
# Settings whose *_FILE may hold key material: never inside the storage folder.
KEY_SETTINGS = (
    "SIMI_DATA_KEYS",
    "SIMI_INDEX_KEY",
    "SIMI_SIGNING_KEY",
    "SIMI_SEAL_KEY",
    "SIMI_SECRET_KEY",
    "SIMI_METRICS_TOKEN",
)
KEYS_NOTE = (
    "No key is in this archive. Restoring it needs the keys its data was written "
    "with, kept apart from backups (docs/operations.md, 'Keys')."
)


@dataclass(frozen=True)
class BackupDone:
    path: Path
    sha256: str
    manifest: dict[str, Any]
    seconds: float


class _HashingWriter(io.RawIOBase):
    """The archive's file, hashed as tarfile writes it (no second read)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw, self.digest, self.position = raw, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = bytes(data)
        self.raw.write(view)
        self.digest.update(view)
        self.position += len(view)
        return len(view)

    def tell(self) -> int:
        return self.position


class _HashingReader(io.RawIOBase):
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


def default_archive_path(now: datetime | None = None) -> Path:
    moment = now or datetime.now(UTC)
    return Path(settings.SIMI_BACKUP_DIR) / f"simi-backup-{moment:%Y%m%dT%H%M%SZ}.tar"


def backup_checks() -> dict[str, tuple[Callable[..., Any], Callable[..., Any]]]:
    """``settings.SIMI_BACKUP_CHECKS``: name -> (summary, verify) of a domain
    that records something of its own in the manifest (the audit log's root)."""
    configured: dict[str, dict[str, str]] = getattr(settings, "SIMI_BACKUP_CHECKS", {})
    return {
        name: (named(paths["summary"]), named(paths["verify"]))
        for name, paths in configured.items()
    }


def _simi_release() -> dict[str, str | None]:
    try:
        version: str | None = metadata.version("simi")
    except metadata.PackageNotFoundError:
        version = None
    commit = os.environ.get("SIMI_COMMIT") or None
    if commit is None and (settings.BASE_DIR / ".git").exists():
        found = subprocess.run(  # noqa: S603 - fixed arguments
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607 - git on PATH
            capture_output=True,
            text=True,
            check=False,
        )
        if found.returncode == 0 and found.stdout.strip():
            commit = found.stdout.strip()
    return {"version": version, "commit": commit}


def _refuse_keys_inside(storage: Storage) -> None:
    if not isinstance(storage, FileSystemStorage):
        return
    root = Path(storage.location).resolve()
    paths = [key_dir()]
    paths += [
        Path(os.environ[f"{name}_FILE"]) for name in KEY_SETTINGS if f"{name}_FILE" in os.environ
    ]
    for path in paths:
        if path.resolve().is_relative_to(root):
            raise BackupFailed(
                f"Key material ({path}) lies inside the storage folder {root}: move it out "
                "(docs/operations.md, 'Keys'); a backup never carries keys."
            )


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, folders depth first, names sorted."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from storage_names(storage, f"{folder}/{name}" if folder else name)


def _add_stream(tar: tarfile.TarFile, member: str, handle: IO[bytes], size: int) -> dict[str, Any]:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = size, int(time.time()), 0o600
    reader = _HashingReader(handle)
    tar.addfile(info, reader)
    return {"sha256": reader.digest.hexdigest(), "bytes": reader.size}


def _add_path(tar: tarfile.TarFile, member: str, path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return _add_stream(tar, member, handle, path.stat().st_size)


def _summaries(using: str) -> dict[str, Any]:
    return {name: summary(using=using) for name, (summary, _verify) in backup_checks().items()}


def _database(
    tar: tarfile.TarFile, work: Path, using: str, say: Progress
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    connection = connections[using]
    settings_dict = connection.settings_dict
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBER:
        raise BackupFailed(f"No backup for the {vendor} database.")
    member = DATABASE_MEMBER[vendor]
    if vendor == "postgresql":
        dump = work / "simi.pgdump"
        with databases.pg_snapshot(using) as snapshot:
            facts = databases.pg_database_facts(using)
            say(f"database: pg_dump of snapshot {snapshot} started")
            process = databases.pg_dump_start(using, snapshot, dump)
            try:
                tables = database_fingerprints(using, say)
                checks = _summaries(using)
            except BaseException:
                process.kill()
                process.wait()
                raise
            databases.pg_dump_finish(process, dump)
        say(f"database: dump of {dump.stat().st_size:,} bytes written")
        database = {"vendor": vendor, "member": member, **facts, **_add_path(tar, member, dump)}
        return database, tables_as_dict(tables), checks
    copy = work / "simi.sqlite3"
    databases.sqlite_online_backup(databases.sqlite_path(settings_dict), copy)
    say(f"database: online copy of {copy.stat().st_size:,} bytes made")
    database = {"vendor": vendor, "member": member, **_add_path(tar, member, copy)}
    with databases.database_alias(settings_dict, str(copy)) as alias:
        tables = database_fingerprints(alias, say)
        checks = _summaries(alias)
    return database, tables_as_dict(tables), checks


def tables_as_dict(tables: dict[str, Any]) -> dict[str, Any]:
    return {name: fingerprint.as_dict() for name, fingerprint in tables.items()}


def _files(tar: tarfile.TarFile, storage: Storage, say: Progress) -> dict[str, Any]:
    files: dict[str, Any] = {}
    total = 0
    for name in storage_names(storage):
        try:
            size = storage.size(name)
            with storage.open(name, "rb") as handle:
                files[name] = _add_stream(tar, FILES + name, handle, size)
        except FileNotFoundError:
            say(f"files: {name} was removed while the backup ran; left out")
            continue
        total += files[name]["bytes"]
        if len(files) % 500 == 0:
            say(f"files: {len(files):,} ({total:,} bytes) so far")
    say(f"files: {len(files):,} ({total:,} bytes)")
    return files


def _publish(partial: Path, target: Path) -> None:
    """Give the finished archive its name, never over an existing file."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise BackupFailed(f"{target} appeared while the backup ran; kept {partial}.") from None
    except OSError:
        if target.exists():
            raise BackupFailed(f"{target} exists; a backup never overwrites.") from None
        os.replace(partial, target)
        return
    partial.unlink()


def backup_create(
    *,
    target: Path,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    progress: Progress | None = None,
) -> BackupDone:
    """Write one archive of the database ``using`` and of ``storage``'s files to ``target``."""
    say: Progress = progress or (lambda _message: None)
    storage = storage if storage is not None else default_storage
    started = time.monotonic()
    if target.exists():
        raise BackupFailed(f"{target} exists; a backup never overwrites.")
    _refuse_keys_inside(storage)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    created_at = datetime.now(UTC)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".simi-backup-") as work:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as raw:
                hashed = _HashingWriter(raw)
                with tarfile.open(fileobj=hashed, mode="w", format=tarfile.PAX_FORMAT) as tar:
                    database, tables, checks = _database(tar, Path(work), using, say)
                    files = _files(tar, storage, say)
                    manifest = {
                        "format": FORMAT,
                        "created_at": created_at.isoformat().replace("+00:00", "Z"),
                        "simi": _simi_release(),
                        "database": database,
                        "tables": tables,
                        "files": files,
                        "checks": checks,
                        "keys": KEYS_NOTE,
                    }
                    body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                    _add_stream(tar, MANIFEST, io.BytesIO(body), len(body))
                raw.flush()
                os.fsync(raw.fileno())
            _publish(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    digest = hashed.digest.hexdigest()
    target.with_name(target.name + ".sha256").write_text(f"{digest}  {target.name}\n")
    return BackupDone(
        path=target, sha256=digest, manifest=manifest, seconds=time.monotonic() - started
    )
