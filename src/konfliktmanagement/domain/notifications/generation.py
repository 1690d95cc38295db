"""The notifications that fall due: written by the notification job for a day (`worker.py`, `cli.py`).

What is due on `day` (Berlin): a Wiedervorlage or follow-up date reached or passed, an agreement item's
deadline reached or passed (still open), a planned session on the next day, a report draft waiting for
review, a report's e-mail that failed. Each is written once per person and occasion (its key names the
date it is due for), so the job may run every hour and on several instances: nothing is written twice.
Who is told: the case's mediators (the coordination while a case has none); a draft report concerns the
coordinators other than its drafter; a failed delivery its sender. Closed and archived cases remind
nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.workflow import OPEN
from konfliktmanagement.domain.notifications.events import Event, Kind, record
from konfliktmanagement.lib.clock import BERLIN

OPEN_STATUSES = [status.value for status in OPEN]
OPEN_ITEMS = [m.ItemStatus.OFFEN.value, m.ItemStatus.IN_UMSETZUNG.value]
REPORT_MESSAGE = "report:"  # the outbox key of a report's copy: "report:<report id>:<member id>"


async def generate(session: AsyncSession, day: date) -> None:
    coordinators = list(
        await session.scalars(
            select(m.User.id)
            .join(m.UserRole, m.UserRole.user_id == m.User.id)
            .where(m.UserRole.role == m.Role.COORDINATOR.value, m.User.is_active.is_(True))
        )
    )
    due = await _case_events(session, day)
    team = await _mediators(session, {case_id for case_id, *_ in due})
    events = [
        Event(kind, key, f"/cases/{case_id}", team.get(case_id) or coordinators, case_id, subject_id, due_on)
        for case_id, kind, key, subject_id, due_on in due
    ]
    events += await _report_events(session, coordinators)
    await record(session, events)


CaseEvent = tuple[UUID, Kind, str, UUID | None, date]


async def _case_events(session: AsyncSession, day: date) -> list[CaseEvent]:
    case = m.Case
    found: list[CaseEvent] = []
    for kind, column in ((Kind.WIEDERVORLAGE, case.resubmission_date), (Kind.FOLLOW_UP, case.follow_up_date)):
        for case_id, due_on in await session.execute(_open(select(case.id, column).where(column <= day))):
            found.append((case_id, kind, f"{kind.value}:{case_id}:{due_on}", None, due_on))
    item = m.AgreementItem
    items = (
        select(m.Agreement.case_id, item.id, item.due_on)
        .join(m.Agreement, m.Agreement.id == item.agreement_id)
        .join(case, case.id == m.Agreement.case_id)
        .where(item.due_on <= day, item.status.in_(OPEN_ITEMS))
    )
    for case_id, item_id, due_on in await session.execute(_open(items)):
        found.append((case_id, Kind.ITEM_DUE, f"item:{item_id}:{due_on}", item_id, due_on))
    tomorrow = day + timedelta(days=1)
    sitting = m.MediationSession
    sessions = (
        select(sitting.case_id, sitting.id)
        .join(case, case.id == sitting.case_id)
        .where(
            sitting.status == m.SessionStatus.GEPLANT.value,
            sitting.scheduled_at >= _start_of(tomorrow),
            sitting.scheduled_at < _start_of(tomorrow + timedelta(days=1)),
        )
    )
    for case_id, session_id in await session.execute(_open(sessions)):
        found.append((case_id, Kind.SESSION_TOMORROW, f"session:{session_id}:{tomorrow}", session_id, tomorrow))
    return found


def _open(query: Select[Any]) -> Select[Any]:
    return query.where(m.Case.status.in_(OPEN_STATUSES))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BERLIN)


async def _mediators(session: AsyncSession, case_ids: Iterable[UUID]) -> dict[UUID, list[UUID]]:
    team: dict[UUID, list[UUID]] = defaultdict(list)
    ids = list(case_ids)
    for start in range(0, len(ids), 500):
        links = await session.execute(
            select(m.CaseMediator.case_id, m.CaseMediator.user_id).where(
                m.CaseMediator.case_id.in_(ids[start : start + 500])
            )
        )
        for case_id, user_id in links:
            team[case_id].append(user_id)
    return team


async def _report_events(session: AsyncSession, coordinators: list[UUID]) -> list[Event]:
    report = m.RoundTableReport
    events = []
    drafts = await session.execute(
        select(report.id, report.round_table_id, report.created_by_id).where(
            report.state == m.ReportState.ENTWURF.value
        )
    )
    for report_id, table_id, drafter in drafts:
        reviewers = [user_id for user_id in coordinators if user_id != drafter]
        link = f"/round-tables/{table_id}/reports/{report_id}"
        events.append(Event(Kind.REPORT_REVIEW, f"report_review:{report_id}", link, reviewers, subject_id=report_id))
    failed = await session.execute(
        select(m.OutboxMessage.dedupe_key).where(
            m.OutboxMessage.state == m.OutboxState.FAILED.value,
            m.OutboxMessage.dedupe_key.startswith(REPORT_MESSAGE),
        )
    )
    # One notice per report, however many of its copies failed: the report page shows each member's state.
    reports = {UUID(key.split(":")[1]) for key in failed.scalars()}
    if reports:
        sent = await session.execute(
            select(report.id, report.round_table_id, report.sent_by_id).where(report.id.in_(list(reports)))
        )
        for report_id, table_id, sender in sent:
            if sender is not None:
                link = f"/round-tables/{table_id}/reports/{report_id}"
                key = f"delivery_failed:{report_id}"
                events.append(Event(Kind.DELIVERY_FAILED, key, link, [sender], subject_id=report_id))
    return events
