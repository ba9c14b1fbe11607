# Encrypt the full names stored in clear before 0005, in batches, with raw SQL
# (the field of the migration state would try to decrypt the plaintext).
# Repeatable: a value that already decrypts is left alone. Reversible: going
# back writes the names in clear again, for 0005's reverse to fit them into
# the old varchar(150).

from django.db import migrations

from simi.core.crypto import DecryptionError, decrypt, encrypt

CONTEXT = "accounts_user.full_name"
BATCH = 500


def _is_ciphertext(value: str) -> bool:
    try:
        decrypt(value, context=CONTEXT)
    except DecryptionError:
        return False
    return True


def _rewrite(schema_editor, convert) -> None:
    connection = schema_editor.connection
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, full_name FROM accounts_user WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            for pk, value in rows:
                new = convert(value)
                if new is not None:
                    cursor.execute(
                        "UPDATE accounts_user SET full_name = %s WHERE id = %s", [new, pk]
                    )
            last = rows[-1][0]


def encrypt_names(apps, schema_editor) -> None:
    _rewrite(
        schema_editor,
        lambda value: None if value is None or _is_ciphertext(value) else encrypt(value, context=CONTEXT),
    )


def decrypt_names(apps, schema_editor) -> None:
    _rewrite(
        schema_editor,
        lambda value: decrypt(value, context=CONTEXT) if value and _is_ciphertext(value) else None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_full_name_encrypted"),
    ]

    operations = [migrations.RunPython(encrypt_names, decrypt_names, elidable=False)]
