"""A key ring given as a file (Docker/systemd secret) is read once per change."""

import os
import secrets

from simi.core import keys
from simi.core.keys import KeyRing, data_keyring


def test_a_key_file_is_parsed_once_and_reread_when_it_changes(tmp_path, monkeypatch):
    path = tmp_path / "data-keys.json"
    first = KeyRing(active_id="a1", keys={"a1": secrets.token_bytes(32)})
    path.write_text(first.to_json())
    monkeypatch.setenv("SIMI_DATA_KEYS_FILE", str(path))
    monkeypatch.delenv("SIMI_DATA_KEYS", raising=False)
    assert data_keyring().active_id == "a1"
    assert data_keyring() is data_keyring()  # no new parse per decryption
    second = first.with_new_key()
    path.write_text(second.to_json())
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))
    assert data_keyring().active_id == second.active_id
    keys._ring_cache.clear()
