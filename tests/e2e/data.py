"""Set-up data for the browser tests: the people of a mediation office and one case with every kind of record.

Only set-up goes through the services and models directly; what a test proves happens in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from litestar import Litestar

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.references import next_reference
from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.lib.clock import today
from tests.helpers import DEFAULT_PASSWORD, create_user, seed_master_data

PASSWORD = DEFAULT_PASSWORD


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    id: UUID


@dataclass(frozen=True)
class Office:
    """Everyone who signs in during a test, and the master data a case needs."""

    coordinator: Person
    mediator: Person
    partner: Person  # the second mediator of the pair
    round_table: Person
    admin: Person
    quartier_id: UUID
    quartier_name: str
    conflict_type_id: UUID
    place_id: UUID
    place_name: str


PEOPLE = {
    "coordinator": ("koordination@example.org", "Kora Koordination", m.Role.COORDINATOR),
    "mediator": ("mila@example.org", "Mila Mediation", m.Role.MEDIATOR),
    "partner": ("malte@example.org", "Malte Mediation", m.Role.MEDIATOR),
    "round_table": ("rita@example.org", "Rita Runder Tisch", m.Role.ROUND_TABLE_MEMBER),
    "admin": ("adam@example.org", "Adam Admin", m.Role.ADMIN),
}
PLACE_NAME = "Bolzplatz am Kirchweg"


async def seed_office(app: Litestar) -> Office:
    people = {}
    for key, (email, name, role) in PEOPLE.items():
        user = await create_user(app, email, [role], name=name)
        people[key] = Person(email=email, name=name, id=user.id)
    quartier_id, conflict_type_id = (UUID(value) for value in await seed_master_data(app))
    async with app.state["alchemy_config"].get_session() as session:
        quartier = await session.get_one(m.Quartier, quartier_id)
        # Inside the seed outline of Innenstadt/St. Josef, so the map of places draws it.
        place = m.Place(quartier_id=quartier_id, name=PLACE_NAME, latitude=51.3262, longitude=6.5641)
        session.add(place)
        await session.commit()
        return Office(
            **people,
            quartier_id=quartier_id,
            quartier_name=quartier.name,
            conflict_type_id=conflict_type_id,
            place_id=place.id,
            place_name=PLACE_NAME,
        )


@dataclass(frozen=True)
class RichCase:
    """A case in `in_mediation` with two consenting parties, a held session, notes of every tier,
    an agreement with an item and an administration request: every case page has something to show."""

    id: UUID
    reference: str
    party_id: UUID
    participation_id: UUID
    session_id: UUID
    note_id: UUID
    agreement_id: UUID
    item_id: UUID
    request_id: UUID


async def seed_rich_case(app: Litestar, office: Office) -> RichCase:
    async with app.state["alchemy_config"].get_session() as session:
        year = today().year
        sequence, reference = await next_reference(session, year)
        case = m.Case(
            reference=reference,
            year=year,
            sequence=sequence,
            title="Lärm und Müll am Bolzplatz",
            description="Anwohnende beschweren sich über Lärm nach 22 Uhr.",
            status=m.CaseStatus.IN_MEDIATION.value,
            quartier_id=office.quartier_id,
            place_id=office.place_id,
            conflict_type_id=office.conflict_type_id,
            escalation_level=3,
        )
        case.mediator_links = [m.CaseMediator(user_id=office.mediator.id), m.CaseMediator(user_id=office.partner.id)]
        session.add(case)
        await session.flush()
        await append_event(session, case_id=case.id, actor_id=None, action="created", to_status=case.status)
        participations = []
        for index, (kind, name, role) in enumerate(
            (
                (m.PartyKind.PERSON, "Erika Beispiel", m.ParticipationRole.ANLIEGEND),
                (m.PartyKind.INFORMAL_GROUP, "Jugendliche am Bolzplatz", m.ParticipationRole.BETROFFEN),
            )
        ):
            party = m.Party(kind=kind.value, name=name)
            participation = m.Participation(
                case_id=case.id, party=party, alias=f"Partei {'AB'[index]}", role=role.value, status="zugestimmt"
            )
            participation.consents = [m.Consent(purpose=p.value, given_on=today()) for p in m.ConsentPurpose]
            session.add(participation)
            participations.append(participation)
        held = m.MediationSession(
            case_id=case.id,
            kind=m.SessionKind.GEMEINSAME_SITZUNG.value,
            status=m.SessionStatus.DURCHGEFUEHRT.value,
            held_at=datetime.now(UTC) - timedelta(days=3),
            duration_minutes=90,
        )
        session.add(held)
        notes = [
            m.Note(case_id=case.id, author_id=office.mediator.id, tier=tier.value, body=f"Notiz ({tier.value})")
            for tier in m.NoteTier
        ]
        session.add_all(notes)
        agreement = m.Agreement(case_id=case.id, title="Ruhezeiten am Bolzplatz")
        agreement.items = [m.AgreementItem(responsible="Partei B", action="Ab 22 Uhr keine laute Musik")]
        session.add(agreement)
        request = m.AdministrationRequest(
            case_id=case.id, department="Grünflächenamt", subject="Zusätzlicher Mülleimer am Bolzplatz"
        )
        session.add(request)
        await session.commit()
        return RichCase(
            id=case.id,
            reference=case.reference,
            party_id=participations[0].party_id,
            participation_id=participations[0].id,
            session_id=held.id,
            note_id=notes[0].id,
            agreement_id=agreement.id,
            item_id=agreement.items[0].id,
            request_id=request.id,
        )


async def publish_statistics(app: Litestar) -> str:
    """This year's statistics, published (as provisional) as the CLI does, so the statistics pages show a table."""
    period = str(today().year)
    async with app.state["alchemy_config"].get_session() as session:
        await StatisticsService(session).publish(period, provisional=True)
        await session.commit()
    return period
