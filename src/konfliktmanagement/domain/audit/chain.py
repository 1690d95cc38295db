"""The hash chain of case events: each event's hash covers its content and its predecessor's hash."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

GENESIS = "0" * 64


def _canonical(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def event_hash(
    *,
    case_id: UUID,
    seq: int,
    occurred_at: datetime,
    actor_id: UUID | None,
    action: str,
    from_status: str | None,
    to_status: str | None,
    reason: str | None,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    payload = {
        "case_id": case_id,
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "details": details,
        "prev_hash": prev_hash,
    }
    encoded = json.dumps({k: _canonical(v) for k, v in payload.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()
