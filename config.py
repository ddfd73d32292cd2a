"""Configuration classes for Suivi, read from the environment."""

import os
from datetime import timedelta


def database_url(url: str | None) -> str | None:
    """Return a SQLAlchemy URL; a plain ``postgresql://`` URL is sent to psycopg 3."""
    if not url:
        return None
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # default: <instance>/evidence
    IMPORT_FOLDER = os.environ.get("IMPORT_FOLDER")  # default: <instance>/imports
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Responses compressed by Suivi itself (Flask-Compress): brotli when the client asks for
    # it, else gzip; streamed answers (the CSV) chunk by chunk. HTML, CSS, JS, JSON, CSV, SVG.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/csv",
        "text/plain",
        "text/javascript",
        "application/javascript",
        "application/json",
        "image/svg+xml",
    ]
    COMPRESS_LEVEL = 6
    COMPRESS_BR_LEVEL = 5
    STALE_DAYS = int(os.environ.get("STALE_DAYS", "60"))
    # Marking an item implemented needs evidence attached first (otherwise only asked for).
    REQUIRE_EVIDENCE_FOR_IMPLEMENTED = os.environ.get("REQUIRE_EVIDENCE_FOR_IMPLEMENTED") == "1"
    LOGIN_MAX_FAILURES = 10
    LOGIN_LOCK_MINUTES = 15
    LANGUAGES = ("en", "fr")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    WTF_CSRF_TIME_LIMIT = None
    SEED_DIR = os.environ.get("SEED_DIR")  # default: the repository's seed/
    # Signed checkpoints of the audit chain (`flask audit checkpoint`), kept outside the
    # database: the key signs them, the file (default: <instance>/audit-checkpoints.jsonl)
    # belongs somewhere the database's users cannot write.
    AUDIT_CHECKPOINT_KEY = os.environ.get("AUDIT_CHECKPOINT_KEY")
    AUDIT_CHECKPOINT_FILE = os.environ.get("AUDIT_CHECKPOINT_FILE")
    SQLITE_BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "10000"))
    # How many reverse proxies (nginx) stand in front and set X-Forwarded-For/-Proto; 0 trusts
    # no such header (a client could forge it).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # Suivi's public address (https://suivi.example.org): links in exports and messages are
    # built from it, never from a request's Host header. Empty: exports carry no links.
    BASE_URL = os.environ.get("BASE_URL", "")
    # The job queue: RQ on Redis when REDIS_URL is set, else jobs run inline after the commit.
    REDIS_URL = os.environ.get("REDIS_URL")
    JOB_QUEUE = os.environ.get("JOB_QUEUE", "suivi")
    # An XLSX or PDF report of more items than this is built by a job, not in the request.
    REPORT_JOB_THRESHOLD = int(os.environ.get("REPORT_JOB_THRESHOLD", "2000"))
    JOB_MAX_ATTEMPTS = int(os.environ.get("JOB_MAX_ATTEMPTS", "3"))
    JOB_RETRY_DELAYS = tuple(
        int(s) for s in os.environ.get("JOB_RETRY_DELAYS", "30,300").split(",") if s.strip()
    )
    # Outgoing mail (SMTP); without MAIL_SERVER notifications are only shown in Suivi.
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0").lower() in ("1", "true", "yes", "on")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Suivi <suivi@localhost>")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "20"))
    # Replies to notifications: an address with {token}, e.g. suivi+{token}@example.org.
    MAIL_REPLY_ADDRESS = os.environ.get("MAIL_REPLY_ADDRESS")
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN")
    MAIL_REPLY_MAX_AGE_DAYS = int(os.environ.get("MAIL_REPLY_MAX_AGE_DAYS", "30"))
    MAIL_RECEIVE_MAX_BYTES = int(os.environ.get("MAIL_RECEIVE_MAX_BYTES", str(1024 * 1024)))
    # The public view (/public): published items without login; off unless PUBLIC_VIEW=1.
    PUBLIC_VIEW = os.environ.get("PUBLIC_VIEW", "0") == "1"
    PUBLIC_RATE_LIMIT = os.environ.get("PUBLIC_RATE_LIMIT", "120 per minute")
    PUBLIC_MAX_AGE = int(os.environ.get("PUBLIC_MAX_AGE", "300"))
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    """Local development: debug on, a fixed key is acceptable."""

    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")


class TestingConfig(Config):
    """The test suite: its own database, CSRF on (tests fetch tokens), fast hashing."""

    TESTING = True
    SECRET_KEY = "testing-only"
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("TEST_DATABASE_URL")) or "sqlite://"
    RATELIMIT_ENABLED = False
    ARGON2_FAST = True
    AUDIT_CHECKPOINT_KEY = "testing-only-checkpoint-key-0123456789"
    REDIS_URL = None  # jobs run inline; the queue's own tests set it


CONFIGS = {
    "default": Config,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
