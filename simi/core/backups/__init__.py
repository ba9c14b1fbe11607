"""Backups that SIMI can restore, and the checks that prove a restore whole.

``manage.py backup`` writes one uncompressed tar (``archive.py``):

    database/simi.pgdump    ``pg_dump --format=custom`` of a snapshot (PostgreSQL)
    database/simi.sqlite3   an online backup, safe while SIMI runs (SQLite)
    files/<name>            every file of the default storage (uploads are
                            stored encrypted, so they stay ciphertext here)
    manifest.json           what was taken: row counts and a checksum of every
                            table (``fingerprints.py``), the SHA-256 of every
                            member, the audit log's size and root

``manage.py restore --verify`` (``restore.py``) restores into a new database
and a new folder, never over the live ones, and compares everything with the
manifest. Keys are never in an archive (docs/operations.md says where they are
kept): a restore needs the same keys the backup's data was written with.
"""
