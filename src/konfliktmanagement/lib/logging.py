"""structlog setup: JSON lines in production, readable console output in development.

Whatever a caller passes, values under sensitive keys never reach a log line.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from functools import lru_cache
from typing import Any

import structlog
from structlog.tracebacks import ExceptionDictTransformer

from konfliktmanagement.lib.settings import LogFormat, Settings

REDACTED = "[redacted]"
_SENSITIVE_KEY_PARTS = (
    "password",
    "passwort",
    "secret",
    "token",
    "cookie",
    "session",
    "authorization",
    "email",
    "mail",
    "phone",
    "telefon",
    "name",
    "address",
    "contact",
    "note",
    "text",
)
# Keys that contain one of the parts above but carry no personal data.
_ALLOWED_KEYS = frozenset({"event", "logger_name", "method", "route", "path_template"})


@lru_cache(maxsize=1024)  # keys are names in our code: a handful, decided once each, not per log line
def _sensitive(key: str) -> bool:
    lowered = key.lower()
    return key not in _ALLOWED_KEYS and any(part in lowered for part in _SENSITIVE_KEY_PARTS)


def redact_sensitive(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event_dict):
        if _sensitive(key):
            event_dict[key] = REDACTED
    return event_dict


def shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_sensitive,
    ]


def configure_logging(settings: Settings) -> None:
    as_json = settings.effective_log_format is LogFormat.JSON
    renderer: Any
    if as_json:
        renderer = structlog.processors.JSONRenderer()
        final = [
            structlog.processors.ExceptionRenderer(ExceptionDictTransformer(show_locals=False)),
            renderer,
        ]
    else:
        final = [
            structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty(), exception_formatter=structlog.dev.plain_traceback)
        ]

    structlog.configure(
        # An event below the configured level is dropped first, before any processor works on it: the
        # request log's event runs on every request.
        processors=[
            structlog.stdlib.filter_by_level,
            *shared_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared_processors(),
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *final],
        )
    )
    root = logging.getLogger()
    for existing in list(root.handlers):
        if getattr(existing, "_km_handler", False):
            root.removeHandler(existing)
    handler._km_handler = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    # No formatter here shows a record's thread or process: the standard library's switches keep it from
    # looking them up for every record (the request log writes one on every request).
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    # uvicorn's access log would duplicate our request event and print raw query strings.
    logging.getLogger("uvicorn.access").disabled = True
    for noisy in ("sqlalchemy.engine", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
