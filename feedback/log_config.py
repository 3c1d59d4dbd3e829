"""The project's logging: one JSON object a line in production, readable text on a laptop.

journald, Loki, Elastic and the like take JSON lines as they are, so a field such as `status`
or `user_id` can be searched without parsing text. Every record passes the request filter
(feedback.request_log), which adds the request id and keeps raw paths out. This module is
imported by settings, so it must not import Django settings itself.
"""

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

# Django's request and server loggers attach the request (or a socket) to the record; written
# out, its repr would show the raw path.
NOT_WRITTEN = ("request", "server_time")


def json_formatter() -> JsonFormatter:
    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        reserved_attrs=[*RESERVED_ATTRS, *NOT_WRITTEN],
        timestamp="time",
    )


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting; `log_format` is "json" or "text"."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "feedback.request_log.RequestContextFilter"}},
        "formatters": {
            "json": {"()": "feedback.log_config.json_formatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if log_format == "json" else "text",
                "filters": ["request"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "axes": {"level": "WARNING"},
            # procrastinate announces every task and schedule it registers, in every process.
            "procrastinate.blueprints": {"level": "WARNING"},
            "procrastinate.periodic": {"level": "WARNING"},
            # Django's own console handler would write its records a second time, unfiltered.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # Our request line replaces Django's "Not Found: …" lines for 4xx; 5xx stay.
            "django.request": {"level": "ERROR"},
        },
    }
