"""The project's settings, as tests run them: a throwaway key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")

from ministry.settings import *  # noqa: E402, F403
from ministry.settings import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render templates without collecting static files first.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run inside transactions that never commit, so no notification would ever arrive: read
# the public version each time, as SQLite does; tests/test_versionwatch.py commits and listens.
NEWS_PAGE_CACHE_LISTEN = False
