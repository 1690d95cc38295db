"""The retention job: what the policies make due on a day, its preview (dry run) and its execution.

`konfliktmanagement retention run [--dry-run] [--as-of YYYY-MM-DD]` and the daily background run
(`worker.py`) call `run_retention`; the admin page shows `run_retention(..., dry_run=True)`. A case
whose classes are all due moves to `archiviert` through the workflow's system transition: its personal
data and free texts erased, its statistical skeleton kept (quartier, place, conflict type, dates,
outcome, its sessions, participations, agreement items and administration requests as rows without
text, record key) — so the statistics count it exactly as before. Nothing of a held case is touched.
The report and the deletion log name case references and counts, never personal data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import structlog
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.classification import RetentionClass
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.domain.privacy import erasure, schemas
from konfliktmanagement.domain.privacy.policies import CASE_CLASSES, Policy, current_policies
from konfliktmanagement.lib.clock import now

logger = structlog.get_logger("konfliktmanagement.privacy")

R = RetentionClass
S = m.CaseStatus

CaseEraser = Callable[[AsyncSession, Collection[UUID]], Awaitable[Counter[UUID]]]
# Ids per statement. A city's closed cases run into the hundreds of thousands, and one `IN` list of
# them exceeds what a statement may carry (asyncpg: 32,767 parameters); batches also keep each
# statement's plan and lock set small.
BATCH = 1000


def _batches(ids: Sequence[UUID]) -> Iterator[Sequence[UUID]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


@dataclass(frozen=True, slots=True)
class ClosedCase:
    id: UUID
    reference: str
    closed_on: date
    held: bool
    due_on: date | None  # as last written to `Case.retention_due_on`


def _end_of(day: date) -> datetime:
    """The first moment after `day` (UTC): a start event before it lies on or before `day`."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=UTC)


async def _closed_cases(session: AsyncSession, *, lock: bool) -> list[ClosedCase]:
    query = (
        select(
            m.Case.id, m.Case.reference, m.Case.closed_at, m.Case.updated_at, m.Case.legal_hold, m.Case.retention_due_on
        )
        .where(m.Case.status.in_([s.value for s in workflow.CLOSED]))
        .order_by(m.Case.id)
    )
    if lock:  # two instances running the job at once: the second waits, then finds nothing left
        query = query.with_for_update()
    rows = await session.execute(query)
    return [
        ClosedCase(
            row.id,
            row.reference,
            (row.closed_at or row.updated_at).astimezone(UTC).date(),
            row.legal_hold,
            row.retention_due_on,
        )
        for row in rows.all()
    ]


class _Run:
    def __init__(self, session: AsyncSession, as_of: date, *, dry_run: bool, policies: dict[R, Policy]) -> None:
        self.session = session
        self.as_of = as_of
        self.apply = not dry_run
        self.policies = policies
        self.run_id = uuid4()
        self.at = now()
        self.plans: list[schemas.ClassPlan] = []

    def record(self, data_class: R, per_case: Counter[UUID] | int, references: dict[UUID, str]) -> None:
        policy = self.policies[data_class]
        if isinstance(per_case, int):
            total, refs = per_case, []
        else:
            total = sum(per_case.values())
            refs = sorted({references[case_id] for case_id, count in per_case.items() if count})
        self.plans.append(
            schemas.ClassPlan(
                data_class=data_class.value,
                label=policy.label,
                policy_version=policy.version,
                period=policy.period,
                records=total,
                case_references=refs,
            )
        )
        if not self.apply or not total:
            return
        rows = (
            [(None, total)]
            if isinstance(per_case, int)
            else [(references[case_id], count) for case_id, count in sorted(per_case.items()) if count]
        )
        for reference, count in rows:
            self.session.add(
                m.DeletionLog(
                    run_id=self.run_id,
                    performed_at=self.at,
                    as_of=self.as_of,
                    trigger="retention",
                    data_class=data_class.value,
                    case_reference=reference,
                    records=count,
                    policy_version=policy.version,
                )
            )


async def run_retention(session: AsyncSession, as_of: date, *, dry_run: bool) -> schemas.RetentionReport:
    """Evaluate the policies as on `as_of`; erase and archive unless `dry_run`. Flushes, never commits."""
    policies = await current_policies(session)
    job = _Run(session, as_of, dry_run=dry_run, policies=policies)
    closed = await _closed_cases(session, lock=not dry_run)
    references = {case.id: case.reference for case in closed}

    def due(data_class: R) -> list[ClosedCase]:
        cutoff = policies[data_class].cutoff(as_of)
        return [case for case in closed if case.closed_on <= cutoff]

    held = sorted({case.reference for data_class in CASE_CLASSES for case in due(data_class) if case.held})
    erasers: dict[R, Callable[..., Awaitable[Counter[UUID]]]] = {
        R.NOTES: erasure.notes,
        R.MINUTES: erasure.minutes,
        R.AGREEMENTS: erasure.agreements,
        R.ADMINISTRATION: erasure.administration,
        R.ATTACHMENTS: erasure.attachments,
        R.CASE_TEXTS: erasure.case_texts,
    }
    for data_class in (R.CONTACT, *erasers):
        case_ids = [case.id for case in due(data_class) if not case.held]
        if data_class is R.CONTACT:
            contact_due = _end_of(policies[R.CONTACT].cutoff(as_of))
            job.record(data_class, await _contact(session, case_ids, contact_due, apply=job.apply), references)
        else:
            per_case: Counter[UUID] = Counter()
            for batch in _batches(case_ids):  # each case's records on their own: batches add up
                per_case.update(await erasers[data_class](session, batch, apply=job.apply))
            job.record(data_class, per_case, references)

    archived = _archivable(closed, policies, as_of)
    if job.apply:
        for case in archived:
            await _archive(session, case.id, policies)
        await _write_due_dates(session, [c for c in closed if c not in archived and not c.held], policies)
    job.record(R.OUTBOX, await _outbox(session, policies[R.OUTBOX].cutoff(as_of), apply=job.apply), references)
    job.record(R.SIGN_IN, await _sign_in(session, policies[R.SIGN_IN].cutoff(as_of), apply=job.apply), references)
    await session.flush()
    report = schemas.RetentionReport(
        as_of=as_of,
        dry_run=dry_run,
        classes=job.plans,
        archived=[case.reference for case in archived],
        held=held,
    )
    logger.info(
        "retention_run",
        as_of=as_of.isoformat(),
        dry_run=dry_run,
        archived=len(archived),
        held=len(held),
        **{plan.data_class: plan.records for plan in job.plans},
    )
    return report


async def _write_due_dates(session: AsyncSession, cases: list[ClosedCase], policies: dict[R, Policy]) -> None:
    """`Case.retention_due_on`: the day the case will be archived under the policies in force (shown on
    the case page; held cases are left as they are). Core updates: no version bump, so nobody's open
    form turns stale because the job ran."""
    for case in cases:
        due = max(policies[data_class].due_on(case.closed_on) for data_class in CASE_CLASSES)
        if due != case.due_on:
            await session.execute(
                update(m.Case)
                .where(m.Case.id == case.id)
                .values(retention_due_on=due)
                .execution_options(synchronize_session=False)
            )


def _archivable(closed: list[ClosedCase], policies: dict[R, Policy], as_of: date) -> list[ClosedCase]:
    """Closed, not held, and every case class due: the case may move to `archiviert`."""
    cutoff = min(policies[data_class].cutoff(as_of) for data_class in CASE_CLASSES)
    return [case for case in closed if not case.held and case.closed_on <= cutoff]


async def _archive(session: AsyncSession, case_id: UUID, policies: dict[R, Policy]) -> None:
    case = await session.get_one(m.Case, case_id, populate_existing=True)
    source = S(case.status)
    transition = workflow.find(source, S.ARCHIVIERT)
    if transition is None or workflow.Actor.SYSTEM not in transition.actors:
        return  # reopened meanwhile: no longer closed
    case.status = S.ARCHIVIERT.value
    case.updated_at = now()
    case.retention_due_on = None
    await session.flush()
    await append_event(
        session,
        case_id=case.id,
        actor_id=None,
        action="transition",
        from_status=source.value,
        to_status=S.ARCHIVIERT.value,
        details={
            "system": "retention",
            "policy_versions": {data_class.value: policies[data_class].version for data_class in CASE_CLASSES},
        },
    )


async def _contact(session: AsyncSession, case_ids: list[UUID], due_before: datetime, *, apply: bool) -> Counter[UUID]:
    """Parties whose every case is due (or already archived): one that still takes part in a running
    case keeps its contact data until that case is due as well.

    `case_ids` are the due cases, `due_before` the moment a closed case must have ended by to be due.
    The parties are found batch by batch but erased only after all are found, so that a party of two
    due cases counts for both, in a dry run as in the real one.
    """
    if not case_ids:
        return Counter()
    due = set(case_ids)
    case = m.Case
    due_or_archived = (case.status == S.ARCHIVIERT.value) | (
        case.status.in_([s.value for s in workflow.CLOSED])
        & case.legal_hold.is_(False)
        & (func.coalesce(case.closed_at, case.updated_at) < due_before)
    )
    still_needed = (
        select(m.Participation.party_id).join(case, case.id == m.Participation.case_id).where(~due_or_archived)
    )
    party_ids: set[UUID] = set()
    for batch in _batches(case_ids):
        candidates = select(m.Participation.party_id).where(m.Participation.case_id.in_(batch))
        party_ids.update(
            await session.scalars(
                select(m.Party.id).where(
                    m.Party.id.in_(candidates), m.Party.id.not_in(still_needed), m.Party.erased_at.is_(None)
                )
            )
        )
    per_case: Counter[UUID] = Counter()
    ordered = sorted(party_ids)
    for batch in _batches(ordered):
        participations = select(m.Participation.case_id).where(m.Participation.party_id.in_(batch))
        per_case.update(case_id for case_id in await session.scalars(participations) if case_id in due)
    for batch in _batches(ordered):
        await erasure.parties(session, batch, apply=apply)
    return per_case


async def _outbox(session: AsyncSession, cutoff: date, *, apply: bool) -> int:
    where = (
        m.OutboxMessage.state == m.OutboxState.SENT.value,
        m.OutboxMessage.sent_at < _end_of(cutoff),
        erasure.content_of_messages(),
    )
    ids = list(await session.scalars(select(m.OutboxMessage.id).where(*where)))
    if apply and ids:
        await session.execute(delete(m.OutboxAttachment).where(m.OutboxAttachment.message_id.in_(ids)))
        await session.execute(
            update(m.OutboxMessage)
            .where(m.OutboxMessage.id.in_(ids))
            .values(recipients=[], body_text="", body_html=None)
            .execution_options(synchronize_session=False)
        )
    return len(ids)


async def _sign_in(session: AsyncSession, cutoff: date, *, apply: bool) -> int:
    end = _end_of(cutoff)
    # Expired sessions, revoked API tokens and calendar feeds; account links (invitation, reset) expire
    # within days whether used or not: gone a period after that.
    stale: list[tuple[type[Any], ColumnElement[bool]]] = [
        (m.StoreEntry, m.StoreEntry.expires_at < end),
        (m.ApiToken, m.ApiToken.revoked_at < end),
        (m.CalendarFeed, m.CalendarFeed.revoked_at < end),
        (m.AccountLink, m.AccountLink.expires_at < end),
    ]
    count = 0
    for model, where in stale:
        count += await session.scalar(select(func.count()).select_from(model).where(where)) or 0
    if apply and count:
        for model, where in stale:
            await session.execute(delete(model).where(where))
    return count
