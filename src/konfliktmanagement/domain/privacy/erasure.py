"""Erasing personal data and free texts: set to nothing, not hidden (DESIGN.md §5).

Each function takes the cases (or parties, messages) it works on, counts per case what still holds
content and — when `apply` — erases exactly that, so a second run finds nothing (idempotent) and a
dry run reports the same numbers as the real run. The rows themselves stay where the statistics or
the workflow count them (sessions, agreement items, administration requests, participations); only
notes and attachments, whose existence no statistic counts, are deleted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, delete, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.search_index import reindex
from konfliktmanagement.domain.audit.trail import erase_reason
from konfliktmanagement.lib.clock import now

PerCase = Counter[UUID]


async def _count(session: AsyncSession, case_column: object, *where: object) -> PerCase:
    rows = await session.execute(select(case_column, func.count()).where(*where).group_by(case_column))  # type: ignore[call-overload]
    return Counter({case_id: count for case_id, count in rows.all()})


async def notes(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    found = await _count(session, m.Note.case_id, m.Note.case_id.in_(case_ids))
    if apply and found:
        await session.execute(delete(m.Note).where(m.Note.case_id.in_(case_ids)))
    return found


async def attachments(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    """Deleted like notes: no statistic counts them, and a row without its file would mean nothing."""
    found = await _count(session, m.Attachment.case_id, m.Attachment.case_id.in_(case_ids))
    if apply and found:
        await session.execute(delete(m.Attachment).where(m.Attachment.case_id.in_(case_ids)))
    return found


async def minutes(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    where = (
        m.MediationSession.case_id.in_(case_ids),
        or_(m.MediationSession.minutes.is_not(None), m.MediationSession.location.is_not(None)),
    )
    found = await _count(session, m.MediationSession.case_id, *where)
    if apply and found:
        await session.execute(
            update(m.MediationSession)
            .where(*where)
            .values(minutes=None, location=None)
            .execution_options(synchronize_session=False)
        )
    return found


async def agreements(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    agreement_where = (m.Agreement.case_id.in_(case_ids), m.Agreement.title != "")
    found = await _count(session, m.Agreement.case_id, *agreement_where)
    of_cases = select(m.Agreement.id).where(m.Agreement.case_id.in_(case_ids))
    item_where = (
        m.AgreementItem.agreement_id.in_(of_cases),
        or_(m.AgreementItem.responsible != "", m.AgreementItem.action != ""),
    )
    items = await session.execute(
        select(m.Agreement.case_id, func.count())
        .select_from(m.AgreementItem)
        .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
        .where(*item_where)
        .group_by(m.Agreement.case_id)
    )
    found.update({case_id: count for case_id, count in items.all()})
    if apply and found:
        await session.execute(
            update(m.Agreement).where(*agreement_where).values(title="").execution_options(synchronize_session=False)
        )
        await session.execute(
            update(m.AgreementItem)
            .where(*item_where)
            .values(responsible="", action="")
            .execution_options(synchronize_session=False)
        )
    return found


async def administration(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    where = (
        m.AdministrationRequest.case_id.in_(case_ids),
        or_(m.AdministrationRequest.subject != "", m.AdministrationRequest.answer.is_not(None)),
    )
    found = await _count(session, m.AdministrationRequest.case_id, *where)
    if apply and found:
        await session.execute(
            update(m.AdministrationRequest)
            .where(*where)
            .values(subject="", answer=None)
            .execution_options(synchronize_session=False)
        )
    return found


async def case_texts(session: AsyncSession, case_ids: Collection[UUID], *, apply: bool) -> PerCase:
    """The case's own free texts (one record per case) and the reasons in its events."""
    case_where = (
        m.Case.id.in_(case_ids),
        or_(
            m.Case.title != "",
            m.Case.description.is_not(None),
            m.Case.closure_reason.is_not(None),
            m.Case.referral_recipient.is_not(None),
            m.Case.no_follow_up_reason.is_not(None),
        ),
    )
    found = await _count(session, m.Case.id, *case_where)
    events = list(
        await session.scalars(
            select(m.CaseEvent).where(m.CaseEvent.case_id.in_(case_ids), m.CaseEvent.reason.is_not(None))
        )
    )
    found.update(event.case_id for event in events)
    if apply and found:
        await session.execute(
            update(m.Case)
            .where(*case_where)
            .values(title="", description=None, closure_reason=None, referral_recipient=None, no_follow_up_reason=None)
            .execution_options(synchronize_session=False)
        )
        for event in events:
            erase_reason(event)
        await session.flush()
        await reindex(session, found)  # the bulk update bypassed the flush that keeps the search index
    return found


def _blank_party(party: m.Party, at: datetime) -> None:
    party.name = ""
    party.phone = party.email = party.address = party.language = None
    party.erased_at = at


async def parties(session: AsyncSession, party_ids: Collection[UUID], *, apply: bool) -> list[m.Party]:
    """Name, contact data and language of these parties (not yet erased); the rows stay, as
    placeholders behind their participations. Returns the parties concerned."""
    found = list(
        await session.scalars(
            select(m.Party)
            .where(m.Party.id.in_(party_ids), m.Party.erased_at.is_(None))
            .order_by(m.Party.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if apply:
        at = now()
        for party in found:
            _blank_party(party, at)
        await session.flush()
    return found


async def attributed_items(session: AsyncSession, party: m.Party, *, apply: bool) -> PerCase:
    """Agreement items of the party's cases whose "responsible" names the party: its free text."""
    name = (party.name or "").strip().casefold()
    if not name:
        return Counter()
    rows = await session.execute(
        select(m.AgreementItem, m.Agreement.case_id)
        .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
        .join(m.Participation, m.Participation.case_id == m.Agreement.case_id)
        .where(m.Participation.party_id == party.id)
    )
    found: PerCase = Counter()
    for item, case_id in rows.all():
        if name in item.responsible.casefold() or name in item.action.casefold():
            found[case_id] += 1
            if apply:
                item.responsible = ""
                item.action = ""
    if apply and found:
        await session.flush()
    return found


async def attributed_attachments(session: AsyncSession, party: m.Party, *, apply: bool) -> PerCase:
    """Attachments of the party's cases whose file name names the party: deleted with its data.

    File names are encrypted, so they are compared here, not in SQL (the content is never loaded).
    What a file shows inside cannot be searched; a coordinator deletes such a file on the case page.
    """
    name = (party.name or "").strip().casefold()
    if not name:
        return Counter()
    rows = await session.execute(
        select(m.Attachment.id, m.Attachment.case_id, m.Attachment.file_name)
        .join(m.Participation, m.Participation.case_id == m.Attachment.case_id)
        .where(m.Participation.party_id == party.id)
    )
    named = [(row.id, row.case_id) for row in rows.all() if name in row.file_name.casefold()]
    if apply and named:
        await session.execute(delete(m.Attachment).where(m.Attachment.id.in_([i for i, _ in named])))
    return Counter(case_id for _, case_id in named)


def content_of_messages() -> ColumnElement[bool]:
    """Sent outbox messages that still hold their contents."""
    return or_(
        m.OutboxMessage.body_text != "",
        exists().where(m.OutboxAttachment.message_id == m.OutboxMessage.id),
    )
