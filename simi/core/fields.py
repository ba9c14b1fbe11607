"""Model fields that encrypt personal data at rest.

Values are encrypted on the way to the database and decrypted on the way
back; only ``isnull`` look-ups make sense on them. Use a separate blind-index
column for exact matches. Every such field registers itself, so
``manage.py rotate_keys`` finds every column that holds ciphertext.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import FieldError
from django.db import models

from simi.core.crypto import decrypt, encrypt

ENCRYPTED_FIELDS: list[EncryptedMixin] = []


class EncryptedMixin:
    """Shared by the encrypted field types; ``context`` binds ciphertext to its column."""

    model: type[models.Model]
    name: str
    column: str

    def contribute_to_class(
        self, cls: type[models.Model], name: str, *args: Any, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, *args, **kwargs)  # type: ignore[misc]
        if not cls._meta.abstract:
            ENCRYPTED_FIELDS.append(self)

    @property
    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(
                f"Encrypted field {self.name} supports only isnull; use its blind index."
            )
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(EncryptedMixin, models.TextField):
    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt(str(value), context=self.context)


class EncryptedDateField(EncryptedMixin, models.TextField):
    """A date stored encrypted (ISO form inside the ciphertext)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> date | None:
        return None if value is None else date.fromisoformat(decrypt(value, context=self.context))

    def to_python(self, value: Any) -> date | None:
        if value is None or isinstance(value, date):
            return value
        return date.fromisoformat(str(value))

    def get_prep_value(self, value: Any) -> str | None:
        value = self.to_python(value)
        return None if value is None else encrypt(value.isoformat(), context=self.context)
