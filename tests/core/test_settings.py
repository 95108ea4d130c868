import os
import secrets
import subprocess
import sys

import pytest

from masthead.settings import email_settings


def test_email_url_smtp_with_tls_and_credentials():
    parsed = email_settings("smtp+tls://news%40example.org:p%2Fss@mail.example.org")
    assert parsed["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert parsed["EMAIL_HOST"] == "mail.example.org"
    assert parsed["EMAIL_PORT"] == 587
    assert parsed["EMAIL_HOST_USER"] == "news@example.org"
    assert parsed["EMAIL_HOST_PASSWORD"] == "p/ss"
    assert parsed["EMAIL_USE_TLS"] and not parsed["EMAIL_USE_SSL"]


def test_email_url_file_and_console():
    assert email_settings("file:///tmp/outbox")["EMAIL_FILE_PATH"] == "/tmp/outbox"
    assert email_settings("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_email_url_with_unknown_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        email_settings("carrier-pigeon://loft")


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Run as a deployment would: without the test run's database, cache or async override.
    dropped = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "-m", "masthead", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MASTHEAD_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.org",
        MASTHEAD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage(
        "check",
        MASTHEAD_ENV="production",
        ALLOWED_HOSTS="x.org",
        SECRET_KEY="",
        MASTHEAD_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
