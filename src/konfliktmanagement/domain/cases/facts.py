"""What the workflow guards look at, for one case: built from rows a page already has, or loaded."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.workflow import CaseFacts
from konfliktmanagement.lib.clock import today


def facts_of(
    case: m.Case,
    participations: Iterable[m.Participation],
    *,
    held_joint_sessions: int,
    agreement_items: int,
    agreements_without_follow_up_result: int,
) -> CaseFacts:
    """The facts from loaded rows (participations with their consents)."""
    return CaseFacts(
        status=m.CaseStatus(case.status),
        resume_to=m.CaseStatus(case.resume_to) if case.resume_to else None,
        mediator_count=len(case.mediator_links),
        has_quartier=case.quartier_id is not None,
        has_conflict_type=case.conflict_type_id is not None,
        follow_up_date=case.follow_up_date,
        parties=tuple(
            (p.alias, p.is_core, p.status, frozenset(c.purpose for c in p.consents if c.withdrawn_on is None))
            for p in participations
            if p.is_active
        ),
        held_joint_sessions=held_joint_sessions,
        agreement_items=agreement_items,
        agreements_without_follow_up_result=agreements_without_follow_up_result,
        today=today(),
    )


def facts_from_records(
    case: m.Case,
    participations: Iterable[m.Participation],
    sessions: Iterable[m.MediationSession],
    agreements: Iterable[m.Agreement],
) -> CaseFacts:
    """The facts from a case's loaded sessions and agreements (with items), as the case page has them."""
    agreements = list(agreements)
    return facts_of(
        case,
        participations,
        held_joint_sessions=sum(1 for s in sessions if _held_joint(s.kind, s.status)),
        agreement_items=sum(len(a.items) for a in agreements),
        agreements_without_follow_up_result=sum(1 for a in agreements if a.follow_up_result is None),
    )


def _held_joint(kind: str, status: str) -> bool:
    return kind == m.SessionKind.GEMEINSAME_SITZUNG and status == m.SessionStatus.DURCHGEFUEHRT


def facts_of_case(case: m.Case) -> CaseFacts:
    """The facts from the case row alone, its records left out: for a transition whose guards read
    nothing else (`Transition.reads_records` false), which then costs no statement."""
    return facts_of(case, (), held_joint_sessions=0, agreement_items=0, agreements_without_follow_up_result=0)


async def load_facts(session: AsyncSession, case: m.Case) -> CaseFacts:
    """The facts in three statements: participations, their consents, and the counts."""
    parameters = {"case_id": case.id}
    participations = (await session.scalars(_participations(), parameters)).all()
    counts = (await session.execute(_counts(), parameters)).one()
    return facts_of(
        case,
        participations,
        held_joint_sessions=counts[0] or 0,
        agreement_items=counts[1] or 0,
        agreements_without_follow_up_result=counts[2] or 0,
    )


# Both statements are built once, the case's id bound at execution: every transition and every check of
# a guard runs them, and SQLAlchemy then derives their cache keys once.
def _case_id() -> BindParameter[Any]:
    return bindparam("case_id", type_=m.Case.id.type)


@cache
def _participations() -> Select[tuple[m.Participation]]:
    return (
        select(m.Participation)
        .where(m.Participation.case_id == _case_id())
        .options(selectinload(m.Participation.consents))
        .order_by(m.Participation.created_at)
    )


@cache
def _counts() -> Select[Any]:
    held_joint = (
        select(func.count())
        .select_from(m.MediationSession)
        .where(
            m.MediationSession.case_id == _case_id(),
            m.MediationSession.kind == m.SessionKind.GEMEINSAME_SITZUNG,
            m.MediationSession.status == m.SessionStatus.DURCHGEFUEHRT,
        )
        .scalar_subquery()
    )
    items = (
        select(func.count())
        .select_from(m.AgreementItem)
        .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
        .where(m.Agreement.case_id == _case_id())
        .scalar_subquery()
    )
    open_results = (
        select(func.count())
        .select_from(m.Agreement)
        .where(m.Agreement.case_id == _case_id(), m.Agreement.follow_up_result.is_(None))
        .scalar_subquery()
    )
    return select(held_joint, items, open_results)
