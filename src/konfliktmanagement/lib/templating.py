"""Jinja2 environment: the translation layer, German date formats in Europe/Berlin, navigation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, pass_context
from litestar import Litestar
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from konfliktmanagement.lib import forms
from konfliktmanagement.lib.i18n import DEFAULT_LOCALE, translations
from konfliktmanagement.lib.settings import Settings
from konfliktmanagement.lib.summary_labels import name_summary_fields
from konfliktmanagement.lib.table_labels import label_table_cells
from konfliktmanagement.lib.template_messages import ConstantMessages

BERLIN = ZoneInfo("Europe/Berlin")


def local_datetime(value: datetime | None, fmt: str = "dd.MM.yyyy HH:mm") -> str:
    if value is None:
        return ""
    return format_datetime(value.astimezone(BERLIN), fmt, locale=DEFAULT_LOCALE)


def local_date(value: date | datetime | None, fmt: str = "dd.MM.yyyy") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    return format_date(value, fmt, locale=DEFAULT_LOCALE)


def file_size(size: int) -> str:
    """Bytes as people read them: "830 kB", "2,4 MB" (decimal units, as the 10 MB limit is meant)."""
    if size < 1_000_000:
        return f"{format_decimal(max(1, round(size / 1000)), locale=DEFAULT_LOCALE)} kB"
    return f"{format_decimal(round(size / 1_000_000, 1), locale=DEFAULT_LOCALE)} MB"


@pass_context
def flashes(context: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Flash messages of this request; none where no session exists (e.g. a 404 for an unknown URL)."""
    session = context["request"].scope.get("session")
    if not session:
        return []
    messages: list[dict[str, Any]] = session.pop("_messages", [])
    return messages


@pass_context
def quick_form(context: Mapping[str, Any], key: str) -> dict[str, Any]:
    """What the case page's quick form `key` shows: the input and messages if it is the form that was
    sent back (`quick`, its hidden field: domain/case_page/sections.py), else nothing. A section holds
    several forms, and the answer belongs to one of them."""
    form = context.get("form") or {}
    sent = context.get("quick") == key
    return {
        "form": form if sent else {},
        "errors": (context.get("errors") or {}) if sent else {},
        "stale": bool(context.get("stale")) and sent,
        "mine": (context.get("mine") or {}) if sent else {},
        "open": sent,
    }


def _configure(env: Environment, settings: Settings) -> None:
    # Each include and import stats its file to see whether it changed: only worth it while developing.
    env.auto_reload = not settings.is_production
    env.add_extension("jinja2.ext.i18n")
    env.add_extension(ConstantMessages)
    env.install_gettext_translations(translations(), newstyle=True)  # type: ignore[attr-defined]
    # `_` straight to newstyle gettext: the i18n extension's alias would look it up and call it again.
    env.globals["_"] = env.globals["gettext"]
    env.filters["datetime"] = local_datetime
    env.filters["date"] = local_date
    env.filters["file_size"] = file_size
    env.filters["label_table_cells"] = label_table_cells
    env.filters["name_summary_fields"] = name_summary_fields
    env.globals["get_flashes"] = flashes
    env.globals["form_values"] = forms.values
    env.globals["quick_form"] = quick_form


def text_renderer(app: Litestar) -> Callable[[str, Mapping[str, Any]], str]:
    """Render a template to text outside a response (e-mails, PDFs), with the pages' environment."""
    engine = app.template_engine
    assert engine is not None

    def render(name: str, context: Mapping[str, Any]) -> str:
        text: str = engine.get_template(name).render(**context)
        return text

    return render


def template_config(settings: Settings) -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(
        directory=settings.templates_dir,
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: _configure(engine.engine, settings),
    )
