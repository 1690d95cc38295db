"""The hash covers a reason's digest: erasing the text keeps the event's hash, altering it does not."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

from konfliktmanagement.domain.audit.chain import GENESIS, event_hash, reason_digest


def _hash(reason: str | None, erased_digest: str | None = None) -> str:
    return event_hash(
        case_id=_CASE,
        seq=3,
        occurred_at=_AT,
        actor_id=None,
        action="transition",
        from_status="in_mediation",
        to_status="eingestellt",
        reason=reason,
        details={"override": False},
        prev_hash=GENESIS,
        erased_reason_digest=erased_digest,
    )


_CASE = uuid4()
_AT = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def test_erased_reason_keeps_the_hash_and_an_altered_one_breaks_it() -> None:
    original = _hash("Frau K. ist umgezogen")
    assert _hash(None, reason_digest(_CASE, 3, "Frau K. ist umgezogen")) == original
    assert _hash("Frau K. ist weggezogen") != original
    assert _hash(None) != original  # a reason simply removed (no digest kept) is found
    # Salted per case and position: the same words in another event give another digest.
    assert reason_digest(_CASE, 3, "Umzug") != reason_digest(_CASE, 4, "Umzug")
