"""The small test override: fast hashing and an isolated var folder.

Argon2 stays the production hasher (``simi.settings``); a test checks that.
"""

import os

os.environ.setdefault("SIMI_ENV", "test")

from simi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
