"""Helpers for HTML forms: repeated fields, checkboxes and safe redirect targets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def values(form: dict[str, Any], key: str) -> list[str]:
    raw = form.get(key)
    if raw is None:
        return []
    return [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]


def text(form: dict[str, Any], key: str) -> str:
    raw = form.get(key, "")
    return str(raw[-1] if isinstance(raw, list) and raw else raw)


def checked(form: dict[str, Any], key: str) -> bool:
    return text(form, key) in {"on", "true", "1"}


def integer(form: dict[str, Any], key: str, default: int = 0) -> int:
    try:
        return int(text(form, key))
    except ValueError:
        return default


def submitted(form: dict[str, Any]) -> dict[str, str]:
    """The form as one text per field, to show the input again next to its errors."""
    return {key: text(form, key) for key in form if key != "_csrf_token"}


def safe_next(target: str | None, default: str = "/") -> str:
    """Only same-site paths: an open redirect after sign-in would be a phishing tool."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
