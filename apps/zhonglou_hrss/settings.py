"""Django settings, computed from the selected site's ``site_config.toml``.

Nothing deployment-specific lives here: secrets, database, Redis, hosts and
business settings come from ``sites/<ZHONGLOU_SITE>/site_config.toml``.
"""

import os
from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE
from django.urls import reverse_lazy

from zhonglou_hrss.core.mariadb_driver import MISSING_DRIVER, driver_installed
from zhonglou_hrss.formats.zh_Hans import formats as _formats
from zhonglou_hrss.siteconf import REPO_DIR, SiteConfigError, load_site, uses_mariadb

SITE = load_site()
PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = REPO_DIR

SECRET_KEY = SITE.secret_key
# A demo site is shown to people: never Django's debug pages there (the site's
# Chinese 404/403/500 pages instead), whatever an older config says.
DEBUG = SITE.debug and not SITE.is_demo
ALLOWED_HOSTS = SITE.allowed_hosts
SITE_TITLE = SITE.site.get("title", "钟楼区人社局业务管理系统")

INSTALLED_APPS = [
    "unfold.apps.BasicAppConfig",  # our DeskAdminConfig picks the site
    "unfold.contrib.filters",
    "unfold.contrib.forms",
    "unfold.contrib.import_export",
    "unfold.contrib.simple_history",
    # Our AdminConfig makes the desk site (permission-based access) the default site.
    "zhonglou_hrss.core.desk_app.DeskAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens: hashed, expiring, revocable (core.tokens)
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "import_export",
    "simple_history",
    "zhonglou_hrss.core.third_party_apps.AxesConfig",  # django-axes with a Chinese name
    "django_rq",
    "zhonglou_hrss.core",
    "zhonglou_hrss.kuaiban",
    "zhonglou_hrss.portal",
    "zhonglou_hrss.questionnaires",
    "zhonglou_hrss.credit",
    "zhonglou_hrss.platform",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise: static files (an SVG opened on its own) get the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One log line per request (after whitenoise: not for static files).
    "zhonglou_hrss.core.middleware.RequestLogMiddleware",
    # What a request reads several times (custom-field definitions, grids), read once.
    "zhonglou_hrss.core.middleware.RequestMemoMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout's expiry saved about once a minute, not on every request.
    "zhonglou_hrss.core.sessions.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store on the API and on whatever a signed-in user sees.
    "zhonglou_hrss.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "zhonglou_hrss.core.middleware.AuditContextMiddleware",
    "zhonglou_hrss.core.middleware.PasswordChangeRequiredMiddleware",
    # Axes must be last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhonglou_hrss.urls"
WSGI_APPLICATION = "zhonglou_hrss.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhonglou_hrss.core.context_processors.site",
                "zhonglou_hrss.credit.public.context_processors.credit_access",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
DATABASES = {"default": SITE.database()}
if uses_mariadb(SITE.database_url) and not driver_installed():
    # Say what to run instead of Django's "Error loading MySQLdb module".
    raise SiteConfigError(MISSING_DRIVER)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Cache and jobs: Redis when the site configures it, else local memory + inline jobs.
REDIS_URL = SITE.redis_url
if REDIS_URL:
    CACHES = {
        "default": {
            # An empty cache while Redis is down, never a 500 (core.cache).
            "BACKEND": "zhonglou_hrss.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"zhonglou:{SITE.name}",
        }
    }
    # Sessions read from Redis, written to both (the database keeps them through a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # Under pytest no rq worker runs: jobs still go through Redis (serialised,
    # stored) but run at once in the test's process, as they do without Redis.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600,
                             "ASYNC": "PYTEST_VERSION" not in os.environ}}
    # django-rq enqueues on commit by default (the worker must see the rows);
    # a test's transaction never commits, so under pytest enqueue at once.
    RQ = {"COMMIT_MODE": "auto" if "PYTEST_VERSION" in os.environ else "on_db_commit"}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # django_rq needs a queue definition; jobs never reach it (core.jobs runs them inline).
    RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 3600}}
JOBS_INLINE = not REDIS_URL
# No django-rq dashboard in the desk: its admin page lets every desk user read
# the queues and jobs (it grants itself the change permission) and its record
# pages answered 500. Operators see the worker on the health page.
RQ_SHOW_ADMIN_LINK = False

# --- Authentication and security -------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend with the permission sets kept in the cache (core.auth).
    "zhonglou_hrss.core.auth.CachedModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "zhonglou_hrss.core.passwords.MixedClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = reverse_lazy("admin:login")
# Signing in without ?next= lands on the desk home (Django's default is /accounts/profile/, which does not exist).
LOGIN_REDIRECT_URL = reverse_lazy("admin:index")

AXES_FAILURE_LIMIT = SITE.login_failure_limit
AXES_COOLOFF_TIME = timedelta(minutes=SITE.lockout_minutes)
# Lock an account from the address that failed: locking by address alone would
# lock whole offices behind the bureau's NAT after one person's typos.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "zhonglou_hrss.core.auth.lockout_response"
# Failed sign-ins from one address across usernames (core.auth.address_limit).
LOGIN_FAILURES_PER_ADDRESS = int(SITE.security.get("login_failures_per_address", 20))
LOGIN_ADDRESS_WINDOW_MINUTES = int(SITE.security.get("login_address_window_minutes", 15))
# API tokens (core.tokens): hours from sign-in.
TOKEN_HOURS_STAFF = int(SITE.security.get("token_hours_staff", 12))
TOKEN_HOURS_EXTERNAL = int(SITE.security.get("token_hours_external", 24 * 30))
REST_KNOX = {"TOKEN_TTL": timedelta(hours=TOKEN_HOURS_STAFF), "AUTO_REFRESH": False, "AUTH_HEADER_PREFIX": "Token",
             "TOKEN_LIMIT_PER_USER": 20}
AXES_IPWARE_PROXY_COUNT = 1 if SITE.behind_tls_proxy else 0
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if SITE.behind_tls_proxy else ["REMOTE_ADDR"]
)

# Idle timeout: the session lives N minutes after the last request, to the minute
# (core.sessions: its expiry is saved at most once a minute, not on every request).
SESSION_COOKIE_AGE = SITE.session_idle_minutes * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; issue 10 item 9): everything from this
# site only, and no inline script — a script that slips into a page through
# data (a name, a label) does not run. Our templates keep their scripts in
# static files and their behaviours in data attributes (static/desk/desk.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # 'unsafe-eval', not 'unsafe-inline': the desk is django-unfold, whose
        # Alpine.js evaluates the x-data / x-show / x-on attributes of every
        # desk page with new Function(). Checked in a browser: without it every
        # desk page logs "Alpine Expression Error … 'unsafe-eval'", and unfold's
        # hidden modal (x-show) stays over the sign-in page, so nobody can even
        # sign in. Only our own files run; inline <script> and on…= handlers never do.
        "script-src": [SELF, UNSAFE_EVAL],
        "script-src-attr": [NONE],
        # 'unsafe-inline' for styles: unfold writes its colours in a <style>
        # element, its htmx adds a <style> of its own, and style="" attributes
        # are all over unfold's templates, ours and ECharts' tooltips (checked
        # in a browser: without it the desk's pages report violations). A
        # style cannot run script.
        "style-src": [SELF, UNSAFE_INLINE],
        # data: — WeUI's icons (SVG data: URLs in its CSS), the public page's
        # photo preview (FileReader) and its empty favicon. The map page adds the
        # base-map tile host when the site enables tiles (kuaiban figures).
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

if SITE.behind_tls_proxy:
    # Production behind nginx terminating TLS on the LAN.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    SECURE_SSL_REDIRECT = True
    # The load balancer's probe may come over plain HTTP on the LAN (core.health_views.healthz).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS if h and h != "*"]

# --- Language and time -------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# 2026-12-02 20:44 and 2026-12-02 everywhere (ui.md), not Django's 2026年12月2日:
# the project's formats come before the locale's; the same again for code
# running with no language active.
FORMAT_MODULE_PATH = ["zhonglou_hrss.formats"]
DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT = _formats.DATE_FORMAT, _formats.DATETIME_FORMAT, _formats.TIME_FORMAT
SHORT_DATE_FORMAT, SHORT_DATETIME_FORMAT = _formats.SHORT_DATE_FORMAT, _formats.SHORT_DATETIME_FORMAT
YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT = _formats.YEAR_MONTH_FORMAT, _formats.MONTH_DAY_FORMAT
DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS = _formats.DATE_INPUT_FORMATS, _formats.DATETIME_INPUT_FORMATS

# --- Files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = REPO_DIR / "staticfiles"
# The phone client's H5 build (clients/miniprogram, `make miniprogram`), served under /m/.
MINIPROGRAM_H5_DIR = Path(os.environ.get("ZHONGLOU_MINIPROGRAM_H5_DIR")
                          or REPO_DIR / "clients" / "miniprogram" / "dist" / "build" / "h5")
# Only folders that exist: a missing one is a staticfiles.W004 warning, which
# fails ``check --deploy --fail-level WARNING``.
STATICFILES_DIRS = [path for path in (PACKAGE_DIR / "static",) if path.is_dir()]
# Front-end packages from npm (installed at set-up, never committed).
_NODE = REPO_DIR / "node_modules"
for _prefix, _sub in (
    ("vendor/echarts", "echarts/dist"),
    ("vendor/weui", "weui/dist/style"),
    ("vendor/htmx", "htmx.org/dist"),
    # The rich-text editor of the desk's news form (portal): Quill, no inline script, no eval.
    ("vendor/quill", "quill/dist"),
):
    if (_NODE / _sub).is_dir():
        STATICFILES_DIRS.append((_prefix, _NODE / _sub))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Public uploads (news images) are served as media; private ones only via views.
MEDIA_ROOT = SITE.data_dir("uploads/public")
MEDIA_URL = "/media/"
PRIVATE_UPLOADS_DIR = SITE.data_dir("uploads/private")
EXPORTS_DIR = SITE.data_dir("exports")
BACKUPS_DIR = SITE.data_dir("backups")
LOGS_DIR = SITE.data_dir("logs")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# --- Personal data ----------------------------------------------------------------
PII_ENCRYPTION_KEYS = SITE.pii_keys
PII_HASH_KEY = SITE.pii_hash_key

# --- Business settings --------------------------------------------------------------
KUAIBAN_OVERDUE_DAYS = SITE.overdue_days
# The public pages' limits (kuaiban.public.views): per address and per ID number.
KUAIBAN_PUBLIC_REPORTS_PER_IP_HOUR = int(SITE.kuaiban.get("public_reports_per_ip_hour", 10))
KUAIBAN_PUBLIC_REPORTS_PER_ID_DAY = int(SITE.kuaiban.get("public_reports_per_id_day", 5))
KUAIBAN_PROGRESS_FAILURES_PER_IP_HOUR = int(SITE.kuaiban.get("progress_failures_per_ip_hour", 10))
MAP_SETTINGS = SITE.map
# The portal's public forms (portal.rules): urgent concerns per address and per mobile,
# failed look-ups per address, registrations per address.
PORTAL_CONCERNS_PER_IP_HOUR = int(SITE.portal.get("concerns_per_ip_hour", 10))
PORTAL_CONCERNS_PER_PHONE_DAY = int(SITE.portal.get("concerns_per_phone_day", 5))
PORTAL_LOOKUP_FAILURES_PER_IP_HOUR = int(SITE.portal.get("lookup_failures_per_ip_hour", 10))
PORTAL_REGISTRATIONS_PER_IP_HOUR = int(SITE.portal.get("registrations_per_ip_hour", 20))
# Enterprise accounts whose password an administrator reset choose a new one in the portal
# (core.middleware.PasswordChangeRequiredMiddleware), never in the desk they cannot enter.
EXTERNAL_PASSWORD_CHANGE = "portal:password_change"
EXTERNAL_PASSWORD_CHANGE_ALSO = ("portal:logout",)
# Where the portal tells enterprises to ask for a password reset (staff reset it in the desk).
PORTAL_HELP_PHONE = str(SITE.portal.get("help_phone", "0519-12333"))
# The 填报单位 of the job-fair export (portal.exports.jobfairs, R-PT-19).
PORTAL_EXPORT_ISSUER = str(SITE.portal.get("export_issuer", "常州市钟楼区人力资源和社会保障局"))
# The 填报单位 of the credit results' export (credit.exports.results, R-CR-11).
CREDIT_EXPORT_ISSUER = str(SITE.raw.get("credit", {}).get("export_issuer", "常州市钟楼区人力资源和社会保障局"))
# Employee questionnaires from one address per hour (questionnaires.rules.employee_ip_limit).
QUESTIONNAIRE_RESPONSES_PER_IP_HOUR = int(SITE.portal.get("questionnaire_responses_per_ip_hour", 30))

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhonglou_hrss.core.tokens.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "zhonglou_hrss.core.api_paging.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "zhonglou_hrss.core.api_errors.exception_handler",
    # JSON read with a depth limit (core.api_parsers); forms as DRF reads them.
    "DEFAULT_PARSER_CLASSES": [
        "zhonglou_hrss.core.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "钟楼区人社局业务管理系统 API",
    "DESCRIPTION": "快办、码上办与信用评价的 REST 接口（/api/v1/）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the LAN has no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# /api/schema/ and /api/docs/ for anyone, or only for signed-in users on a production site (core.api_docs).
API_DOCS_PUBLIC = not SITE.is_production

# --- Import / export ----------------------------------------------------------------
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.CacheStorage"

# --- Captcha ----------------------------------------------------------------------
# core.captcha: a key answers once, within this many seconds of being shown.
CAPTCHA_TTL_SECONDS = 600
# Accepts "PASSED" (tests; load tests on a site that is not in production).
CAPTCHA_TEST_MODE = bool(SITE.security.get("captcha_test_mode", False)) and not SITE.behind_tls_proxy

# --- Logging ----------------------------------------------------------------------
# Every record is redacted as it is made: no query strings, ID numbers and
# mobiles masked, whatever the logger or handler (core.logging).
LOGGING_CONFIG = "zhonglou_hrss.core.logging.configure"
# Site logs in sites/<name>/logs/ (core.logging.site_logging): django.log
# (warnings and errors), requests.log (one line per request), jobs.log (one
# line per background or periodic job); rotated by size, or by logrotate when
# the site sets [logging] rotation = "external" (several gunicorn processes).
from zhonglou_hrss.core.logging import site_logging  # noqa: E402

LOGGING = site_logging(LOGS_DIR, SITE.raw.get("logging", {}))

# --- Desk (django-unfold) -----------------------------------------------------------
from zhonglou_hrss.core.navigation import UNFOLD  # noqa: E402,F401
