"""Masthead's one settings module, configured by environment variables.

The defaults run a whole newsroom on one machine: SQLite in WAL mode under ``var/``, a
local-memory cache and email printed to the console. Set ``DATABASE_URL``, ``REDIS_URL`` and
``MASTHEAD_ENV=production`` to scale out; every variable is listed in the README.
"""

import ipaddress
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("MASTHEAD_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


MASTHEAD_ENV = os.environ.get("MASTHEAD_ENV", "development").strip().lower()
PRODUCTION = MASTHEAD_ENV == "production"
if MASTHEAD_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("MASTHEAD_ENV must be 'development' or 'production'.")

DEBUG = env_bool("DEBUG", default=False) if PRODUCTION else env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY (50+ random characters) in production.")
    # Development only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "dev-only-insecure-key-masthead-do-not-use-in-production-0123456789"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Public address of the site, used in emails, feeds and the CMS.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "masthead.core",
    "masthead.caching",
    "masthead.accounts",
    "masthead.newsroom",
    "masthead.community",
    "masthead.moderation",
    "masthead.revenue",
    "masthead.ads",
    "masthead.editorial",
    "masthead.wire",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "masthead.core.middleware.PermissionsPolicyMiddleware",
    "masthead.core.db_router.ReplicaPinMiddleware",  # only with DATABASE_REPLICA_URLS
    # Answers readers from the page cache before the rest of the stack runs (masthead.caching).
    "masthead.caching.middleware.PageCacheMiddleware",
    "masthead.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "masthead.core.middleware.RejectNulCharactersMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "masthead.urls"
WSGI_APPLICATION = "masthead.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

SQLITE_PATH = VAR_DIR / "masthead.sqlite3"


def database_settings(url: str) -> dict[str, object]:
    """One DATABASES entry from a URL: SQLite tuned for one machine, or PostgreSQL behind
    Django's own connection pool (psycopg_pool) unless DATABASE_POOL=0."""
    entry = dj_database_url.parse(
        url,
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if entry["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock
        # at the start of a transaction so concurrent writers queue instead of failing mid-way.
        # Each server thread keeps its connection: opening one and replaying the PRAGMAs below
        # cost more than the queries of a whole page.
        entry["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", "600"))
        # Django's SQLite backend, with writers queued instead of polling for the lock.
        entry["ENGINE"] = "masthead.core.sqlite"
        entry["OPTIONS"] = {
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=5000;"
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    elif entry["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
        # Each process keeps up to DATABASE_POOL_MAX_SIZE connections open and lends one to a
        # request for its duration (a connection costs PostgreSQL a backend process, ~10 MB,
        # and a few milliseconds to open). Persistent connections and the pool exclude each
        # other, so CONN_MAX_AGE is 0. Turn the pool off (DATABASE_POOL=0) behind PgBouncer in
        # transaction mode; CONN_MAX_AGE then applies again.
        entry["CONN_MAX_AGE"] = 0
        entry["OPTIONS"] = {
            **entry.get("OPTIONS", {}),
            "pool": {
                # Opened when the process first needs the database, then kept.
                "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
                # `masthead serve` runs 2 Django threads per worker process, each using one
                # connection at a time: 4 leaves room. A request waits up to the timeout.
                "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4")),
                "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
                # Idle connections beyond min_size are closed after this many seconds.
                "max_idle": float(os.environ.get("DATABASE_POOL_MAX_IDLE", "300")),
            },
        }
    return entry


DATABASES = {
    "default": database_settings(os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}")
}
if DATABASES["default"]["ENGINE"] == "masthead.core.sqlite":
    # Tests use a file too (an in-memory database locks whole tables, unlike the real thing),
    # one per test run so that two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# Read replicas (PostgreSQL streaming replication): aliases replica1..N. Web requests read from
# one of them; writes, transactions, reads after a write in the same request and, for
# DATABASE_REPLICA_PIN_SECONDS after a reader's POST, that reader's reads go to the primary
# (masthead.core.db_router). Background work and commands always use the primary. In tests a
# replica mirrors the test database.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = {
        **database_settings(url),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
# Longer than the replicas ever lag behind (watch pg_stat_replication's replay_lag).
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "10"))
DATABASE_ROUTERS = ["masthead.core.db_router.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_PREFIX = os.environ.get("CACHE_PREFIX", "masthead")
if REDIS_URL:
    # Fails soft: with Redis unreachable reads miss, writes are skipped and rate limits count
    # per process, until Redis answers again (masthead.core.cache). Short socket timeouts, so
    # a Redis that hangs costs a request at most about a second.
    CACHES = {
        "default": {
            "BACKEND": "masthead.core.cache.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_PREFIX,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "masthead",
            "KEY_PREFIX": CACHE_PREFIX,
        }
    }
# Whole pages and the comment fragments inside them (masthead.caching). Every app process must
# see the same entries and the same purges: Redis when there is one, otherwise files on this
# machine's disk, which all `masthead serve` workers share.
if REDIS_URL:
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": f"{CACHE_PREFIX}:pages"}
else:
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get(
            "MASTHEAD_PAGE_CACHE_DIR",
            # A test run gets its own directory, like its own database (see DATABASES).
            str(VAR_DIR / f"test-pages-{os.getpid()}")
            if "PYTEST_VERSION" in os.environ
            else str(VAR_DIR / "cache" / "pages"),
        ),
        "KEY_PREFIX": CACHE_PREFIX,
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }

# --- Background work ------------------------------------------------------------------------

# Tasks wait in the database until `masthead worker` (or the one `masthead serve` starts) runs
# them: scheduled publishing, wire feeds and email need no cron and no other service.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# MASTHEAD_TASK_QUEUE=redis keeps the queue in Redis (REDIS_URL) instead: enqueueing costs the
# database nothing, and `masthead worker` runs the RQ queue. The database queue stays the
# default, with or without Redis.
TASK_QUEUE = os.environ.get("MASTHEAD_TASK_QUEUE", "database").strip().lower()
if TASK_QUEUE == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("MASTHEAD_TASK_QUEUE=redis needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("MASTHEAD_TASK_REDIS_URL", REDIS_URL),
            # Seconds one task may run before RQ stops it.
            "DEFAULT_TIMEOUT": int(os.environ.get("MASTHEAD_TASK_TIMEOUT", "600")),
        }
    }
elif TASK_QUEUE != "database":
    raise ImproperlyConfigured("MASTHEAD_TASK_QUEUE must be 'database' or 'redis'.")

# --- Email ----------------------------------------------------------------------------------


def email_settings(url: str) -> dict[str, object]:
    """Translate EMAIL_URL (smtp://, smtps://, smtp+tls://, console://, file:///dir) to settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path) or str(VAR_DIR / "mail"),
        }
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme in {"smtp", "smtps", "smtp+tls"}:
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "localhost",
            "EMAIL_PORT": parts.port or {"smtp": 25, "smtps": 465, "smtp+tls": 587}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme {scheme!r} is not supported.")


globals().update(email_settings(os.environ.get("EMAIL_URL", "console://")))
if env_bool("MASTHEAD_EMAIL_QUEUE", default=True):
    # Requests only queue their email; the worker hands it to the EMAIL_URL backend, so a slow
    # mail server never holds up a page and a failed delivery is kept on the task.
    QUEUED_EMAIL_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F821 - set just above
    EMAIL_BACKEND = "masthead.editorial.mail.QueuedEmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Masthead <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Accounts -------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "masthead.accounts.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "masthead.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "masthead.accounts.adapter.user_display"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Signup, sign-in and password reset answer alike whether or not an address has an account
# (allauth's default; stated so that no upgrade or edit turns it off unnoticed).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{os.environ.get('MASTHEAD_SITE_NAME', 'The Masthead Courier')}] "
# Signing out is a POST (the header's button); a GET shows a confirmation page.
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Kept in the cache (Redis when REDIS_URL is set, so every app server counts together).
# "10/m/ip,5/5m/key" reads: ten per minute from one address, five per five minutes for one
# email address. A refused login says so on the form; other refusals answer 429.
ACCOUNT_RATE_LIMITS = {
    "login": os.environ.get("MASTHEAD_RATE_LOGIN", "30/m/ip"),
    "login_failed": os.environ.get("MASTHEAD_RATE_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": os.environ.get("MASTHEAD_RATE_SIGNUP", "5/m/ip,20/h/ip"),
    "reset_password": os.environ.get("MASTHEAD_RATE_RESET_PASSWORD", "5/m/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed names in production so static files can be cached for a year.
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Wagtail --------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = os.environ.get("MASTHEAD_SITE_NAME", "The Masthead Courier")
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "newsroom.Photo"
# No Gravatar: it would send a hash of staff emails to a third party on every CMS page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "rtf", "txt", "xlsx"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILIMAGES_AVIF_QUALITY = 60
WAGTAILIMAGES_WEBP_QUALITY = 78
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
TAGGIT_CASE_INSENSITIVE = True

# --- Security -------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page needs, refused for the page and every frame in it (ads included).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("MASTHEAD_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("MASTHEAD_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MASTHEAD_HSTS_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("MASTHEAD_HSTS_PRELOAD", default=True)
if env_bool("MASTHEAD_BEHIND_PROXY", default=False):
    # Only when a proxy in front sets (and strips client copies of) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# Content-Security-Policy: no inline script or style anywhere on the public site, so pages can
# be cached whole without a per-request nonce. The CMS gets its own, looser policy (see
# masthead.core.middleware) because Wagtail's admin still ships some inline styles.
# An ad provider's tag (see masthead.ads) loads its script, frames and pixels from the origins
# in MASTHEAD_AD_SOURCES, e.g. "https://securepubads.g.doubleclick.net,https://*.doubleclick.net".
AD_SOURCES = env_list("MASTHEAD_AD_SOURCES", [])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *AD_SOURCES],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *AD_SOURCES],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *AD_SOURCES],
        "frame-src": ["'self'", *AD_SOURCES],
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging --------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"masthead": {"level": os.environ.get("LOG_LEVEL", "INFO")}},
}

# --- Masthead -------------------------------------------------------------------------------

MASTHEAD = {
    # Articles listed per page on fronts, tag and author pages.
    "PAGE_SIZE": int(os.environ.get("MASTHEAD_PAGE_SIZE", "20")),
    # How many "Read:" links an article shows when it fills them from shared tags.
    "RELATED_LINKS": 3,
    # Reader comments.
    "COMMENT_MAX_LENGTH": int(os.environ.get("MASTHEAD_COMMENT_MAX_LENGTH", "3000")),
    "COMMENT_EDIT_WINDOW": int(os.environ.get("MASTHEAD_COMMENT_EDIT_SECONDS", "300")),
    "COMMENTS_REQUIRE_VERIFIED_EMAIL": env_bool("MASTHEAD_COMMENTS_REQUIRE_VERIFIED", True),
    "COMMENTS_PAGE_SIZE": 20,
    "REPLIES_SHOWN": 20,
    # How often an open article page asks whether its thread moved (milliseconds).
    "LIVE_POLL_MS": int(os.environ.get("MASTHEAD_LIVE_POLL_MS", "5000")),
    # "anonymise" keeps a deleted account's comments as "Former reader"; "remove" deletes them.
    "DELETED_ACCOUNT_COMMENTS": os.environ.get("MASTHEAD_DELETED_ACCOUNT_COMMENTS", "anonymise"),
    # Per reader, and per address (several readers can share one address).
    "RATE_LIMITS": {
        "comment": os.environ.get("MASTHEAD_RATE_COMMENT", "5/m"),
        "comment_ip": os.environ.get("MASTHEAD_RATE_COMMENT_IP", "30/m"),
        "reaction": os.environ.get("MASTHEAD_RATE_REACTION", "60/m"),
        "reaction_ip": os.environ.get("MASTHEAD_RATE_REACTION_IP", "300/m"),
        "report": os.environ.get("MASTHEAD_RATE_REPORT", "10/m"),
        "report_ip": os.environ.get("MASTHEAD_RATE_REPORT_IP", "60/m"),
        # Illegal-content notices can be sent without an account: per address only.
        "notice_ip": os.environ.get("MASTHEAD_RATE_NOTICE_IP", "5/h"),
        # Starting a contribution checkout: per address.
        "contribute_ip": os.environ.get("MASTHEAD_RATE_CONTRIBUTE_IP", "10/m"),
        # Beacons from cached pages: story reads, ad impressions and ad clicks, per address.
        "read_ip": os.environ.get("MASTHEAD_RATE_READ_IP", "60/m"),
        "ad_impression_ip": os.environ.get("MASTHEAD_RATE_AD_IMPRESSION_IP", "120/m"),
        "ad_click_ip": os.environ.get("MASTHEAD_RATE_AD_CLICK_IP", "30/m"),
    },
    # Without Redis (or while it is unreachable), the file where every worker process on this
    # machine counts towards those limits (masthead.core.ratelimit_file); empty keeps the
    # counts in each process's memory, which tests do (each test starts with an empty cache).
    "RATE_LIMIT_FILE": os.environ.get(
        "MASTHEAD_RATE_LIMIT_FILE",
        "" if "PYTEST_VERSION" in os.environ else str(VAR_DIR / "ratelimits.sqlite3"),
    ),
    # How often an open moderation queue asks which of its items others have decided.
    "DESK_POLL_MS": int(os.environ.get("MASTHEAD_DESK_POLL_MS", "3000")),
    # The proxies whose X-Forwarded-For is believed (IPs or networks): rate limits and abuse
    # records then use the address they report (masthead.core.ratelimit.client_ip). Behind a
    # proxy on this machine, MASTHEAD_BEHIND_PROXY=1 alone trusts loopback.
    "TRUSTED_PROXIES": env_list(
        "MASTHEAD_TRUSTED_PROXIES",
        ["127.0.0.1/32", "::1/128"] if env_bool("MASTHEAD_BEHIND_PROXY", default=False) else [],
    ),
    # Reader contributions. Amounts in minor units (cents) of CURRENCY.
    "CURRENCY": os.environ.get("MASTHEAD_CURRENCY", "EUR").strip().upper(),
    "CONTRIBUTION_MIN": int(os.environ.get("MASTHEAD_CONTRIBUTION_MIN", "200")),
    "CONTRIBUTION_MAX": int(os.environ.get("MASTHEAD_CONTRIBUTION_MAX", "1000000")),
    "CONTRIBUTION_PRESETS": {"once": [500, 1000, 2500], "monthly": [300, 500, 1000]},
    # Without STRIPE_SECRET_KEY a local test-mode checkout completes contributions (no money).
    "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY", ""),
    "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET", ""),
    "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/"),
    # Pre-screening rules every new or edited comment passes (see masthead.moderation.screening;
    # their thresholds and word lists are edited in the CMS). MASTHEAD_SCREENING_SCORERS adds
    # dotted paths to a newsroom's own scorers, comma-separated; those run
    # in a small thread pool, each within its own timeout.
    "SCREENING_SCORERS": [
        "masthead.moderation.screening.BannedWords",
        "masthead.moderation.screening.SuspectWords",
        "masthead.moderation.screening.Links",
        "masthead.moderation.screening.RepeatedText",
        "masthead.moderation.screening.NewAccount",
        "masthead.moderation.screening.LowTrust",
        "masthead.moderation.screening.Offensive",
        *env_list("MASTHEAD_SCREENING_SCORERS", []),
    ],
    # The editorial desk. `masthead worker` looks for due scheduled pages this often (seconds).
    "WORKER_TICK_SECONDS": float(os.environ.get("MASTHEAD_WORKER_TICK_SECONDS", "10")),
    # Wire copy: how long one picture or feed download may take, and how big a picture may be.
    "WIRE_FETCH_TIMEOUT": float(os.environ.get("MASTHEAD_WIRE_FETCH_TIMEOUT", "10")),
    "WIRE_MAX_IMAGE_BYTES": int(os.environ.get("MASTHEAD_WIRE_MAX_IMAGE_BYTES", str(25 << 20))),
    # Distribution: items per feed, and how far back the Google News sitemap reaches (hours).
    "FEED_ITEMS": int(os.environ.get("MASTHEAD_FEED_ITEMS", "30")),
    "NEWS_SITEMAP_HOURS": 48,
    # Fronts: "most read" covers this many hours; page views are counted in memory and
    # written in one batch per process at most this often (seconds), never one write per view.
    "MOST_READ_HOURS": int(os.environ.get("MASTHEAD_MOST_READ_HOURS", "24")),
    "COUNTER_FLUSH_SECONDS": float(os.environ.get("MASTHEAD_COUNTER_FLUSH_SECONDS", "10")),
    # Ad providers' origins (e.g. Google Ad Manager's), allowed by the CSP only when set.
    "AD_SOURCES": AD_SOURCES,
}

for _network in MASTHEAD["TRUSTED_PROXIES"]:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"MASTHEAD_TRUSTED_PROXIES: {_network!r} is not an IP address or network."
        ) from None

# --- Page cache -----------------------------------------------------------------------------

# Whole pages for every reader (masthead.caching), kept in CACHES["pages"]. Seconds per kind of
# page: how long Masthead keeps it ("own"), how long a shared cache in front may (s-maxage),
# how long that cache may go on serving it while it fetches a fresh copy (stale), and how long
# a browser may keep it (browser). Purges by surrogate key end an entry sooner.
# MASTHEAD_PAGE_CACHE=0 turns Masthead's own page cache off (headers are still sent).
MASTHEAD["PAGE_CACHE"] = {
    "ENABLED": env_bool("MASTHEAD_PAGE_CACHE", default=True),
    "article": {"own": 3600, "s_maxage": 300, "stale": 60, "browser": 0},
    "front": {"own": 60, "s_maxage": 30, "stale": 30, "browser": 0},
    "list": {"own": 60, "s_maxage": 30, "stale": 30, "browser": 0},
    "page": {"own": 600, "s_maxage": 300, "stale": 60, "browser": 0},
    # A story's comments section, once purged, is rendered again at most this often (seconds);
    # readers get the previous one meanwhile.
    "FRAGMENT_RENDER_SECONDS": float(os.environ.get("MASTHEAD_FRAGMENT_RENDER_SECONDS", "1")),
    # A front cache gets at most one purge per story per this many seconds for its comments.
    "COMMENT_PURGE_SECONDS": float(os.environ.get("MASTHEAD_COMMENT_PURGE_SECONDS", "5")),
}
# The cache in front of Masthead, purged by surrogate key: none, nginx, varnish, fastly or
# cloudflare. nginx and varnish are reached at MASTHEAD_FRONT_CACHE_URL (e.g.
# http://127.0.0.1:80); Fastly and Cloudflare through their APIs (MASTHEAD_FRONT_CACHE_API_URL
# overrides the base URL) with MASTHEAD_FRONT_CACHE_SERVICE (Fastly service id, Cloudflare
# zone id) and MASTHEAD_FRONT_CACHE_TOKEN (Fastly API key, Cloudflare API token).
MASTHEAD_FRONT_CACHE = os.environ.get("MASTHEAD_FRONT_CACHE", "none").strip().lower()
MASTHEAD_FRONT_CACHE_URL = os.environ.get("MASTHEAD_FRONT_CACHE_URL", "")
MASTHEAD_FRONT_CACHE_API_URL = os.environ.get("MASTHEAD_FRONT_CACHE_API_URL", "")
MASTHEAD_FRONT_CACHE_SERVICE = os.environ.get("MASTHEAD_FRONT_CACHE_SERVICE", "")
MASTHEAD_FRONT_CACHE_TOKEN = os.environ.get("MASTHEAD_FRONT_CACHE_TOKEN", "")
if MASTHEAD_FRONT_CACHE not in {"none", "nginx", "varnish", "fastly", "cloudflare"}:
    raise ImproperlyConfigured(
        "MASTHEAD_FRONT_CACHE must be one of none, nginx, varnish, fastly, cloudflare."
    )
