"""The small test override: fast hashing and an isolated var folder.

Argon2 stays the production hasher (``simi.settings``); a test checks that.
"""

import os

os.environ.setdefault("SIMI_ENV", "test")

from simi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Close connections after each request: the live server's request threads
# would otherwise keep PostgreSQL sessions open past the test run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
