"""Loading what the workflow guards look at, for one case."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.workflow import CaseFacts
from konfliktmanagement.lib.clock import today


async def load_facts(session: AsyncSession, case: m.Case) -> CaseFacts:
    participations = (
        await session.scalars(
            select(m.Participation)
            .where(m.Participation.case_id == case.id)
            .options(selectinload(m.Participation.consents))
            .order_by(m.Participation.created_at)
        )
    ).all()
    held_joint = await session.scalar(
        select(func.count())
        .select_from(m.MediationSession)
        .where(
            m.MediationSession.case_id == case.id,
            m.MediationSession.kind == m.SessionKind.GEMEINSAME_SITZUNG,
            m.MediationSession.status == m.SessionStatus.DURCHGEFUEHRT,
        )
    )
    items = await session.scalar(
        select(func.count())
        .select_from(m.AgreementItem)
        .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
        .where(m.Agreement.case_id == case.id)
    )
    open_results = await session.scalar(
        select(func.count())
        .select_from(m.Agreement)
        .where(m.Agreement.case_id == case.id, m.Agreement.follow_up_result.is_(None))
    )
    return CaseFacts(
        status=m.CaseStatus(case.status),
        resume_to=m.CaseStatus(case.resume_to) if case.resume_to else None,
        mediator_count=len(case.mediator_links),
        has_quartier=case.quartier_id is not None,
        has_conflict_type=case.conflict_type_id is not None,
        follow_up_date=case.follow_up_date,
        parties=tuple(
            (
                p.alias,
                p.is_core,
                p.status,
                frozenset(c.purpose for c in p.consents if c.withdrawn_on is None),
            )
            for p in participations
            if p.is_active
        ),
        held_joint_sessions=held_joint or 0,
        agreement_items=items or 0,
        agreements_without_follow_up_result=open_results or 0,
        today=today(),
    )
