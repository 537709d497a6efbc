"""The project's settings, run as production would (DEBUG off), plus the bench's bare insert view."""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

from pilkada_desk.settings import *  # noqa: E402,F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
# No collectstatic in the bench: pages render {% static %} without the manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Plain HTTP on loopback: a TLS proxy would sit in front in production.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
warnings.filterwarnings("ignore", message="No directory at")
