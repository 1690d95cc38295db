"""Column classification for the record of processing (GDPR Art. 30, DESIGN.md §5)."""

from __future__ import annotations

from typing import Any


def personal(*, special_category: bool = False, retention: str = "account") -> dict[str, Any]:
    """`info=` for a column that holds personal data."""
    return {"personal": True, "special_category": special_category, "retention": retention}
