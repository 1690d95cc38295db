"""Appending to and verifying the case audit trail.

Callers hold the case row for writing (see `cases.loading.load_case_for_write`), so events of one
case are appended one at a time. Denied attempts cannot be written in the request's transaction,
which is rolled back; they are queued on the session and written right after the rollback
(`write_pending_denials`, run by `db.request_session.end_request_session`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, Insert, Select, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from konfliktmanagement.db import models as m
from konfliktmanagement.db.request_session import after_request
from konfliktmanagement.domain.audit.chain import GENESIS, event_hash, reason_digest
from konfliktmanagement.lib import clock

_PENDING = "km_pending_denials"


@dataclass(frozen=True, slots=True)
class Denial:
    case_id: UUID
    actor_id: UUID | None
    attempted: str


@dataclass(frozen=True, slots=True)
class TrailHead:
    """The last event of a case's trail as read after the case row was locked: what the next links to."""

    seq: int
    hash: str

    @classmethod
    def of(cls, seq: int | None, hash_: str | None) -> TrailHead:
        return cls(seq, hash_) if seq is not None and hash_ is not None else cls(0, GENESIS)


def trail_head_columns(case_id: UUID | ColumnElement[UUID]) -> tuple[Any, Any]:
    """The last event's seq and hash as two scalar subqueries, for a statement that reads other things
    of the locked case anyway (`TrailHead.of(seq, hash)` of the row it returns); `case_id` may be a
    bound parameter."""
    last = select(m.CaseEvent.seq).where(m.CaseEvent.case_id == case_id).order_by(m.CaseEvent.seq.desc()).limit(1)
    return last.scalar_subquery(), last.with_only_columns(m.CaseEvent.hash).scalar_subquery()


async def append_event(
    session: AsyncSession,
    *,
    case_id: UUID,
    actor_id: UUID | None,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an event to the case's trail, after what the session holds is flushed (the event may
    follow a record it names, or the case itself)."""
    await session.flush()

    def write(sync: Session) -> None:
        connection = sync.connection()
        head = connection.execute(_head(), {"case_id": case_id}).first()
        write_event(
            connection,
            TrailHead.of(*head) if head else TrailHead.of(None, None),
            case_id=case_id,
            actor_id=actor_id,
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            details=details,
        )

    await session.run_sync(write)


def write_event(
    connection: Connection,
    head: TrailHead,
    *,
    case_id: UUID,
    actor_id: UUID | None,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Insert the event that follows `head`, the trail's last event as read after the case row was
    locked (with nothing appended since): for a caller that writes its change in Core as well and
    read the head with it (the transition service)."""
    seq = head.seq + 1
    fields: dict[str, Any] = {
        "case_id": case_id,
        "seq": seq,
        "occurred_at": clock.now(),
        "actor_id": actor_id,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "details": details or {},
        "prev_hash": head.hash,
    }
    connection.execute(_insert(), {**fields, "hash": event_hash(**fields)})


# Built once: every write of a case appends an event, and SQLAlchemy then derives their cache keys once.
@cache
def _head() -> Select[tuple[int, str]]:
    return (
        select(m.CaseEvent.seq, m.CaseEvent.hash)
        .where(m.CaseEvent.case_id == bindparam("case_id", type_=m.CaseEvent.case_id.type))
        .order_by(m.CaseEvent.seq.desc())
        .limit(1)
    )


@cache
def _insert() -> Insert:
    """A Core insert (the id from the column's default): an event is written once and never changed,
    so the unit of work would add only its cost."""
    return insert(m.CaseEvent)


def _content_hash(event: m.CaseEvent) -> str:
    """The hash an event must carry: over what it records and its predecessor's hash."""
    return event_hash(
        case_id=event.case_id,
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        action=event.action,
        from_status=event.from_status,
        to_status=event.to_status,
        reason=event.reason,
        details=event.details,
        prev_hash=event.prev_hash,
        erased_reason_digest=event.reason_digest,
    )


def _reason_digest(event: m.CaseEvent) -> str | None:
    return reason_digest(event.case_id, event.seq, event.reason)


def erase_reason(event: m.CaseEvent) -> bool:
    """Erase an event's free-text reason, keeping the digest its hash covers. True if there was one."""
    if event.reason is None:
        return False
    event.reason_digest = _reason_digest(event)
    event.reason = None
    return True


def queue_denial(session: AsyncSession, *, case_id: UUID, actor_id: UUID | None, attempted: str) -> None:
    session.info.setdefault(_PENDING, []).append(Denial(case_id, actor_id, attempted))
    after_request(session, write_pending_denials)


async def write_pending_denials(session: AsyncSession) -> None:
    """Write the denials queued during a request, in a transaction of their own, and commit."""
    pending: list[Denial] = session.info.pop(_PENDING, [])
    if not pending:
        return
    for denial in pending:
        await append_event(
            session,
            case_id=denial.case_id,
            actor_id=denial.actor_id,
            action="denied",
            details={"attempted": denial.attempted},
        )
    await session.commit()


@dataclass(slots=True)
class VerifyReport:
    events_checked: int = 0
    cases_checked: int = 0
    first_broken: m.CaseEvent | None = None
    problem: str | None = None
    details: list[str] = field(default_factory=list)


async def verify_chain(session: AsyncSession, batch_size: int = 5000) -> VerifyReport:
    """Recompute every case's chain in order; stop at the first event that does not match."""
    report = VerifyReport()
    previous_case: UUID | None = None
    expected_prev = GENESIS
    expected_seq = 1
    stream = await session.stream_scalars(
        select(m.CaseEvent).order_by(m.CaseEvent.case_id, m.CaseEvent.seq).execution_options(yield_per=batch_size)
    )
    async for event in stream:
        if event.case_id != previous_case:
            previous_case, expected_prev, expected_seq = event.case_id, GENESIS, 1
            report.cases_checked += 1
        report.events_checked += 1
        recomputed = _content_hash(event)
        problem = None
        if event.seq != expected_seq:
            problem = f"expected seq {expected_seq}, found {event.seq} (an event is missing)"
        elif event.prev_hash != expected_prev:
            problem = "prev_hash does not match the preceding event"
        elif event.reason is not None and event.reason_digest not in {None, _reason_digest(event)}:
            problem = "the reason does not match its kept digest (the event was altered)"
        elif recomputed != event.hash:
            problem = "content does not match its hash (the event was altered)"
        if problem:
            report.first_broken, report.problem = event, problem
            await stream.close()
            return report
        expected_prev, expected_seq = event.hash, event.seq + 1
    return report
