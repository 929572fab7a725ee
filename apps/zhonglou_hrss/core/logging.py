"""No personal data in any log (issue 10 item 5).

A keyword search by ID number or phone (``?q=320404…``), a public report, a
path carrying an ID number: request lines and messages would write them into
runserver's ``django.server`` lines, ``django.request``'s "Not Found: /…"
and tracebacks, gunicorn's access and error logs. ``redact`` drops the query
string of every URL or request line in a message and masks the ID numbers
and mobiles left in it (``pii.mask_in_text``: ``320404********1012``,
``139****5566``).

Where it applies — every record of every logger, before any handler sees it:
``configure`` (settings ``LOGGING_CONFIG``) installs a log-record factory that
redacts each record as it is made (the message formatted once, the traceback
rendered and redacted, the raw exception dropped). A ``logging.Filter`` would
not do: on a logger it sees only that logger's own records, not its
children's (``zhonglou_hrss.core.exports.jobs``, ``django.db.backends``), and
on handlers it misses every handler added later (a library's, a test's).
``GunicornLogger`` (``gunicorn.conf.py``'s ``logger_class``) installs the same
factory in gunicorn's processes and leaves the query string out of the
access log's atoms; the shipped access format names the path (``%(U)s``),
never the request line with its query (``%(r)s``).
"""

from __future__ import annotations

import logging
import logging.config
import re
from pathlib import Path

from gunicorn.glogging import Logger as BaseGunicornLogger

from zhonglou_hrss.core.pii import mask_in_text

# "/path?query" in a request line, a referer or a message: the query goes.
URL_QUERY = re.compile(r"(/[^\s?#\"'<>]*)\?[^\s\"'<>]*")


def redact(text: str) -> str:
    """``text`` without query strings and with ID numbers and mobiles masked."""
    return mask_in_text(URL_QUERY.sub(r"\1", text))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a caller's bad arguments: keep what there is, still redacted
        message = f"{record.msg} {record.args!r}"
    record.msg, record.args = redact(message), None
    if record.exc_info:
        if not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        # Formatters print exc_text; without exc_info none renders the raw exception again.
        record.exc_info = None
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Redact every log record of this process as it is made (idempotent)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "redacts_personal_data", False):
        return

    def factory(*args, **kwargs):
        return redact_record(make(*args, **kwargs))

    factory.redacts_personal_data = True
    logging.setLogRecordFactory(factory)


def configure(config: dict) -> None:
    """Settings ``LOGGING_CONFIG``: the site's ``LOGGING``, then the redaction."""
    logging.config.dictConfig(config)
    install()


class GunicornLogger(BaseGunicornLogger):
    """gunicorn's logger with the same redaction (``gunicorn.conf.py``)."""

    def setup(self, cfg):
        super().setup(cfg)
        install()

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = atoms["{query_string}e"] = ""  # whatever the format names, never the query
        return atoms


SITE_LOGS = {
    # file: (logger, level) — "" is the root logger
    "django.log": ("", "WARNING"),
    "requests.log": ("zhonglou_hrss.requests", "INFO"),
    "jobs.log": ("zhonglou_hrss.jobs", "INFO"),
}


def site_logging(logs_dir: Path, options: dict | None = None) -> dict:
    """Settings ``LOGGING`` for a site: the console, and when the site's
    ``logs`` folder exists one file per kind (``SITE_LOGS``), rotated.

    ``[logging] rotation``: ``"size"`` (default) — RotatingFileHandler,
    ``max_mb`` (10) × ``backups`` (10), right for one process; ``"external"``
    — WatchedFileHandler, reopened after logrotate moved the file: the choice
    for gunicorn's several workers writing one file (docs/deployment.md)."""
    options = options or {}
    config = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {},
    }
    if not Path(logs_dir).is_dir():
        return config
    external = options.get("rotation", "size") == "external"
    for file, (logger, level) in SITE_LOGS.items():
        handler = {"filename": str(Path(logs_dir) / file), "formatter": "plain", "encoding": "utf-8",
                   "level": level}
        if external:
            handler["class"] = "logging.handlers.WatchedFileHandler"
        else:
            handler.update({"class": "logging.handlers.RotatingFileHandler",
                            "maxBytes": int(options.get("max_mb", 10)) * 1024 * 1024,
                            "backupCount": int(options.get("backups", 10))})
        name = file.removesuffix(".log")
        config["handlers"][name] = handler
        if logger:
            # Its own file only (not the root's django.log nor the console).
            config["loggers"][logger] = {"handlers": [name], "level": level, "propagate": False}
        else:
            config["root"]["handlers"].append(name)
    return config
