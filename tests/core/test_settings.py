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


def _production(tmp_path, **env: str) -> dict[str, str]:
    return {
        "MASTHEAD_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.org",
        "MASTHEAD_VAR_DIR": str(tmp_path),
        "STRIPE_SECRET_KEY": "sk_live_" + secrets.token_hex(12),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + secrets.token_hex(12),
        **env,
    }


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_on_hsts_secure_cookies_and_the_https_redirect(tmp_path):
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "DEBUG",
    ]
    script = (
        f"from django.conf import settings; print(*[repr(getattr(settings, n)) for n in {names!r}])"
    )
    result = _manage("shell", "-c", script, **_production(tmp_path))
    assert result.returncode == 0, result.stderr
    hsts, subdomains, session_secure, csrf_secure, redirect, debug = (
        result.stdout.strip().splitlines()[-1].split()
    )
    assert int(hsts) >= 31536000
    assert (subdomains, session_secure, csrf_secure, redirect, debug) == (
        "True",
        "True",
        "True",
        "True",
        "False",
    )


def test_the_deploy_check_warns_when_contributions_cannot_take_money(tmp_path):
    result = _manage(
        "check", "--deploy", **_production(tmp_path, STRIPE_SECRET_KEY="", STRIPE_WEBHOOK_SECRET="")
    )
    assert "masthead.W001" in result.stderr + result.stdout


def test_the_deploy_check_refuses_a_stripe_key_without_its_webhook_secret(tmp_path):
    result = _manage("check", "--deploy", **_production(tmp_path, STRIPE_WEBHOOK_SECRET=""))
    assert result.returncode != 0
    assert "masthead.E001" in result.stderr
    assert "STRIPE_WEBHOOK_SECRET" in result.stderr


@pytest.mark.parametrize(
    ("missing", "env"),
    [
        ("SECRET_KEY", {"SECRET_KEY": ""}),
        ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": ""}),
        ("MASTHEAD_TRUSTED_PROXIES", {"MASTHEAD_TRUSTED_PROXIES": "10.0.0.0/8,nginx"}),
        ("EMAIL_URL", {"EMAIL_URL": "pigeon://loft"}),
    ],
)
def test_a_missing_or_bad_variable_stops_startup_naming_it(tmp_path, missing, env):
    result = _manage("check", **_production(tmp_path, **env))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert missing in last_line


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
