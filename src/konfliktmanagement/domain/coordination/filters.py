"""Reading filter values from a GET form's query string."""

from __future__ import annotations

from uuid import UUID


def optional_uuid(raw: str | None) -> UUID | None:
    """A select's "all" choice sends an empty value; an unknown or garbled id simply filters nothing."""
    if not raw or not raw.strip():
        return None
    try:
        return UUID(raw.strip())
    except ValueError:
        return None
