"""The hash chain of case events: each event's hash covers its content and its predecessor's hash.

The free-text `reason` enters the hash only as its digest (salted with the case and position, so equal
reasons in different events differ). Erasing a reason (retention, Art. 17) keeps that digest in the
event's `reason_digest`: the chain then still verifies, while the text is gone. As long as the text is
there, verification recomputes its digest, so an altered reason is still found."""

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


def reason_digest(case_id: UUID, seq: int, reason: str | None) -> str | None:
    if reason is None:
        return None
    return hashlib.sha256(f"{case_id}:{seq}:{reason}".encode()).hexdigest()


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
    erased_reason_digest: str | None = None,
) -> str:
    """`reason` is the stored text; for an erased one (`reason` None) the digest kept in its place."""
    digest = reason_digest(case_id, seq, reason) if reason is not None else erased_reason_digest
    payload = {
        "case_id": case_id,
        "seq": seq,
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "reason": digest,
        "details": details,
        "prev_hash": prev_hash,
    }
    encoded = json.dumps({k: _canonical(v) for k, v in payload.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()
