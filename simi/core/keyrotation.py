"""Re-encrypt every encrypted column to the active key, in small batches.

Safe while SIMI runs: each batch locks its rows, re-reads them and writes
them back in one short transaction, so a concurrent edit is never lost; and
resumable: it only ever picks rows whose ciphertext names an older key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection, models, transaction

from simi.core.crypto import VERSION
from simi.core.fields import ENCRYPTED_FIELDS, EncryptedMixin
from simi.core.keys import data_keyring


def _is_live(model: type[models.Model]) -> bool:
    """Migrations build historical copies of models (and SQLite's ``new__``
    rebuild tables); only the installed model classes hold rows to rotate."""
    try:
        return apps.get_model(model._meta.app_label, model._meta.model_name) is model
    except LookupError:
        return False


def encrypted_columns() -> dict[type[models.Model], list[EncryptedMixin]]:
    by_model: dict[type[models.Model], list[EncryptedMixin]] = defaultdict(list)
    for field in ENCRYPTED_FIELDS:
        if _is_live(field.model):
            by_model[field.model].append(field)
    return dict(by_model)


def _stale_condition(fields: list[EncryptedMixin]) -> tuple[str, list[str]]:
    prefix = f"{VERSION}:{data_keyring().active_id}:%"
    quote = connection.ops.quote_name
    parts = [f"({quote(f.column)} IS NOT NULL AND {quote(f.column)} NOT LIKE %s)" for f in fields]
    return " OR ".join(parts), [prefix] * len(fields)


def stale_count(model: type[models.Model], fields: list[EncryptedMixin]) -> int:
    condition, params = _stale_condition(fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {condition}", params)  # noqa: S608 - names are ours
        return int(cursor.fetchone()[0])


def _stale_ids(model: type[models.Model], fields: list[EncryptedMixin], limit: int) -> list[object]:
    condition, params = _stale_condition(fields)
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    sql = f"SELECT {pk} FROM {table} WHERE {condition} ORDER BY {pk} LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def reencrypt_batches(
    model: type[models.Model], fields: list[EncryptedMixin], *, batch_size: int = 500
) -> Iterator[int]:
    """Yield the number of rows re-encrypted per batch until none is left."""
    names = [field.name for field in fields]
    while True:
        with transaction.atomic():
            ids = _stale_ids(model, fields, batch_size)
            if not ids:
                return
            rows = list(model._default_manager.select_for_update(no_key=True).filter(pk__in=ids))
            for row in rows:
                # Saving writes every listed field through get_prep_value: active key.
                row.save(update_fields=names)
        yield len(rows)


def rotate_all(
    *, batch_size: int = 500, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, int]:
    done: dict[str, int] = {}
    for model, fields in encrypted_columns().items():
        label = model._meta.label
        total = stale_count(model, fields)
        count = 0
        if progress:
            progress(label, count, total)
        for rows in reencrypt_batches(model, fields, batch_size=batch_size):
            count += rows
            if progress:
                progress(label, count, total)
        done[label] = count
    return done
