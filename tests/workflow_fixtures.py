"""Putting a case directly into a state with all the data its transitions need (for the pair tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar import Litestar
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam

_counter = iter(range(1, 10**6))


async def case_in_state(
    app: Litestar,
    team: CaseTeam,
    status: m.CaseStatus,
    *,
    complete: bool = True,
    resume_to: m.CaseStatus = m.CaseStatus.IN_MEDIATION,
) -> UUID:
    """A new case in `status`, assigned to the team's mediator. With `complete`, every guard's data is present."""
    sequence = 5000 + next(_counter)
    async with app.state["alchemy_config"].get_session() as session:
        case = m.Case(
            reference=f"KM-1999-{sequence}",
            year=1999,
            sequence=sequence,
            title="Testfall",
            status=status.value,
            quartier_id=UUID(team.quartier_id) if complete else None,
            conflict_type_id=UUID(team.conflict_type_id),
            resume_to=resume_to.value if status is m.CaseStatus.RUHEND else None,
            follow_up_date=today() + timedelta(days=7) if complete else None,
        )
        case.mediator_links = [m.CaseMediator(user_id=team.mediator_user.id)]
        session.add(case)
        await session.flush()
        await append_event(session, case_id=case.id, actor_id=None, action="created", to_status=status.value)
        if complete:
            for index, role in enumerate((m.ParticipationRole.ANLIEGEND, m.ParticipationRole.BETROFFEN)):
                party = m.Party(kind=m.PartyKind.PERSON.value, name=f"Person {index}")
                participation = m.Participation(
                    case_id=case.id, party=party, alias=f"Partei {'AB'[index]}", role=role.value, status="zugestimmt"
                )
                participation.consents = [
                    m.Consent(purpose=purpose.value, given_on=today()) for purpose in m.ConsentPurpose
                ]
                session.add(participation)
            session.add(
                m.MediationSession(
                    case_id=case.id,
                    kind=m.SessionKind.GEMEINSAME_SITZUNG.value,
                    status=m.SessionStatus.DURCHGEFUEHRT.value,
                    held_at=datetime.now(UTC) - timedelta(days=3),
                )
            )
            agreement = m.Agreement(case_id=case.id, title="Ruhezeiten", follow_up_result=m.FollowUpResult.TRAEGT.value)
            agreement.items = [m.AgreementItem(responsible="Partei A", action="Ab 22 Uhr leiser")]
            session.add(agreement)
        await session.commit()
        return case.id


def full_input(source: m.CaseStatus, target: m.CaseStatus) -> dict[str, object]:
    """Everything any transition could ask for, with the outcome that fits the target."""
    outcome = None
    if target is m.CaseStatus.ABGESCHLOSSEN:
        outcome = "keine_einigung" if source is m.CaseStatus.IN_MEDIATION else "einigung_vollstaendig"
    return {
        "to": target.value,
        "reason": "Begründung für den Wechsel",
        "recipient": "Ordnungsamt",
        "resubmission_date": (today() + timedelta(days=14)).isoformat(),
        "follow_up_date": (today() + timedelta(days=7)).isoformat(),
        **({"outcome": outcome} if outcome else {}),
    }


async def case_with_minutes(app: Litestar, team: CaseTeam, minutes: str) -> UUID:
    """A case in mediation (`case_in_state`) whose held joint session has these minutes."""
    case_id = await case_in_state(app, team, m.CaseStatus.IN_MEDIATION)
    async with app.state["alchemy_config"].get_session() as session:
        meeting = await session.scalar(select(m.MediationSession).where(m.MediationSession.case_id == case_id))
        assert meeting is not None
        meeting.minutes = minutes
        await session.commit()
    return case_id
