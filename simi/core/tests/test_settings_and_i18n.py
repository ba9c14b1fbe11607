import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

import simi.settings as base_settings

ROOT = Path(settings.BASE_DIR)
_SETUP = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='simi.settings'; django.setup()"


def test_argon2_is_the_production_password_hasher():
    assert base_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def _boot(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SIMI_") and k != "DJANGO_SETTINGS_MODULE"
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            _SETUP,
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _boot({"SIMI_ENV": "production", "SIMI_ALLOWED_HOSTS": "simi.example.invalid"})
    assert result.returncode != 0
    assert "SIMI_SECRET_KEY" in result.stderr


def test_a_bad_environment_value_fails_loudly():
    result = _boot({"SIMI_ENV": "staging"})
    assert result.returncode != 0
    assert "SIMI_ENV" in result.stderr
    result = _boot({"SIMI_DEBUG": "maybe"})
    assert "SIMI_DEBUG" in result.stderr


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("from-a-file-" + "x" * 40)
    code = _SETUP + "; from django.conf import settings; print(settings.SECRET_KEY)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIMI_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "SIMI_ENV": "production",
            "SIMI_SECRET_KEY_FILE": str(secret),
            "SIMI_ALLOWED_HOSTS": "x.invalid",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "from-a-file-" + "x" * 40


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_catalogues_are_complete_and_compiled(language):
    po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, f"{entry.msgid!r}: run make messages"


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs xgettext (Debian package gettext)"
)
def test_every_translatable_string_is_in_the_catalogue(tmp_path):
    # given a copy of the source tree with its catalogue
    for name in ("simi", "locale"):
        shutil.copytree(
            ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
        )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    # when makemessages runs there
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simi.settings_test",
        "SIMI_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "id", "--no-obsolete", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    # then it found no string the committed catalogue lacks
    fresh = polib.pofile(str(tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    missing = sorted(entry.msgid for entry in fresh.untranslated_entries() + fresh.fuzzy_entries())
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:10])
