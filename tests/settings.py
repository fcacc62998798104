"""Settings for the test suite: the real settings, with a test-only secret and fast hashing."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a")
os.environ.setdefault("XINDAI_VAR_DIR", os.path.join(tempfile.gettempdir(), "xindai-test-var"))

from xindai.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
