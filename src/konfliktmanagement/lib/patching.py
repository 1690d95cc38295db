"""Partial updates (PATCH) of versioned records: what the client sent, and what actually changed."""

from __future__ import annotations

from enum import Enum
from typing import Any

import msgspec

from konfliktmanagement.lib.exceptions import FieldError, StaleVersion
from konfliktmanagement.lib.i18n import gettext as _


def ensure_version(row: Any, expected: int) -> None:
    """The client edited what it saw at `expected`; anything newer must not be overwritten."""
    if row.version != expected:
        raise StaleVersion(row.version)


def provided(data: msgspec.Struct) -> dict[str, Any]:
    """The fields the client sent (left-out fields are UNSET), without the `version` it edited."""
    fields = {name: value for name, value in msgspec.structs.asdict(data).items() if value is not msgspec.UNSET}
    fields.pop("version", None)
    return fields


def stored(value: Any) -> Any:
    """How a value is kept in its column (enums as their value)."""
    return value.value if isinstance(value, Enum) else value


def apply_changes(row: Any, changes: dict[str, Any]) -> list[str]:
    """Set what differs; returns the names of the changed fields, sorted (for the audit event)."""
    changed = []
    for name, value in changes.items():
        if getattr(row, name) != stored(value):
            setattr(row, name, stored(value))
            changed.append(name)
    return sorted(changed)


def required_text(errors: list[FieldError], field: str, value: str) -> str:
    """The text without surrounding blanks; a blank-only text is an error of `field`."""
    text = value.strip()
    if not text:
        errors.append(FieldError(field, _("Bitte ausfüllen.")))
    return text
