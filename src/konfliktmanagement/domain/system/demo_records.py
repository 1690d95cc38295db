"""The records of one demo case besides the case row: participations and consents, sessions,
the agreement and its items, notes, administration requests.

Their services are being written in parallel, so the demo creates them with the ORM models, each
with the audit event the service writes (same action names; ids, codes and flags only, never
names or text). Dates are the scenario's: consents given, sessions held and agreements concluded
on the day of the step being replayed (`demo_history`), so spread over the case's age.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from string import ascii_uppercase
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess, Write
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.cases.transitions import WorkflowService
from konfliktmanagement.domain.system import demo_texts as texts
from konfliktmanagement.domain.system.demo_scenario import Scenario, Step
from konfliktmanagement.lib.clock import BERLIN, now, today

SK, SS, IS, CP, PS = m.SessionKind, m.SessionStatus, m.ItemStatus, m.ConsentPurpose, m.ParticipationStatus
PH = m.MediationPhase


@dataclass(frozen=True, slots=True)
class Lookups:
    quartiers: dict[str, m.Quartier]
    places: dict[str, m.Place]
    conflict_types: dict[str, m.ConflictType]
    parties: dict[str, m.Party]
    parties_in_a_case: set[str]  # for the `new_party` flag of the audit event


class CaseRecords:
    """What one case accumulates on its way; `demo_builder.CaseBuilder` decides when."""

    case: m.Case

    def __init__(
        self,
        session: AsyncSession,
        scenario: Scenario,
        lookups: Lookups,
        coordinator: m.User,
        team: list[m.User],
        *,
        present: datetime,
    ) -> None:
        self.session, self.s, self.lookups = session, scenario, lookups
        self.coordinator, self.team = coordinator, team
        self.cases = CaseService(session=session)
        self.workflow = WorkflowService(session=session)
        self.participations: list[m.Participation] = []
        self.agreement: m.Agreement | None = None
        self.present = present.astimezone(BERLIN).date()  # the real today: "the coming weeks" count from here
        self.day = today()  # the day being replayed (`lib.clock.today()` while a step is replayed)
        self.n = 0  # a counter that varies the texts between cases and steps
        self.changes: dict[str, Any] = {}  # case fields to edit after the path (`CaseService.revise`)

    async def _access(self, actor: m.User, write: Write = Write.RECORDS) -> CaseAccess:
        """The case as `actor` changes it, loaded for writing like a request does (a transition: `Write.LIFECYCLE`)."""
        return await load_case(self.session, Principal.of(actor), self.case.id, attempted="demo", for_write=write)

    # --- parties ---

    def _core(self) -> list[m.Participation]:
        return [p for p in self.participations if p.is_core and p.is_active]

    async def _add_participations(self, parties: tuple[tuple[str, m.ParticipationRole], ...]) -> None:
        for key, role in parties:
            party = self.lookups.parties[key]
            first = not self.participations
            participation = m.Participation(
                case_id=self.case.id,
                party_id=party.id,
                alias="Partei " + ascii_uppercase[len(self.participations)],
                role=role.value,
                status=(PS.INFORMIERT if first else PS.ERFASST).value,
                consents=[],
            )
            self.session.add(participation)
            await self.session.flush()
            self.participations.append(participation)
            new_party = key not in self.lookups.parties_in_a_case
            self.lookups.parties_in_a_case.add(key)
            await self._event(
                "participation_added",
                participation_id=str(participation.id),
                party_id=str(party.id),
                new_party=new_party,
                role=participation.role,
                status=participation.status,
            )
            if first:
                await self._consent(participation, CP.CONTACT)

    async def _set_status(self, participation: m.Participation, status: m.ParticipationStatus) -> None:
        if participation.status != status.value:
            participation.status = status.value
            await self.session.flush()
            await self._event("participation_updated", participation_id=str(participation.id), fields=["status"])

    async def _consent(self, participation: m.Participation, purpose: m.ConsentPurpose) -> None:
        if participation.has_consent(purpose.value):
            return
        participation.consents.append(m.Consent(purpose=purpose.value, given_on=self.day))
        await self.session.flush()
        await self._event(
            "consent_recorded",
            participation_id=str(participation.id),
            purpose=purpose.value,
            given=True,
            withdrawn=False,
        )

    async def _decline(self, participation: m.Participation) -> None:
        """Voluntariness: a party that agreed withdraws its consent; one that had not, declines."""
        consent = next((c for c in participation.consents if c.purpose == CP.MEDIATION.value), None)
        if consent is None:
            await self._set_status(participation, PS.ABGELEHNT)
            return
        consent.withdrawn_on = self.day
        await self.session.flush()
        await self._event(
            "consent_recorded",
            participation_id=str(participation.id),
            purpose=CP.MEDIATION.value,
            given=True,
            withdrawn=True,
        )
        await self._set_status(participation, PS.ZURUECKGEZOGEN)

    # --- sessions, agreements, notes, requests ---

    async def _meeting(
        self,
        kind: m.SessionKind,
        attendees: list[m.Participation],
        *,
        phases: tuple[m.MediationPhase, ...] = (),
        planned: date | None = None,
        place: bool = False,
        on: date | None = None,
        status: m.SessionStatus | None = None,
    ) -> m.MediationSession:
        """Held on `on` (default: the step's day), or planned for `planned`, or had `status` (abgesagt, verschoben)."""
        when = datetime.combine(planned or on or self.day, time(17, 30), tzinfo=BERLIN).astimezone(UTC)
        status = status or (SS.GEPLANT if planned else SS.DURCHGEFUEHRT)
        held = status is SS.DURCHGEFUEHRT
        if planned is None:
            when = min(when, now() - timedelta(hours=2))
        self.n += 1
        meeting = m.MediationSession(
            case_id=self.case.id,
            kind=kind.value,
            status=status.value,
            scheduled_at=when,
            held_at=when if held else None,
            duration_minutes=(60 if kind is SK.VORGESPRAECH else 90) if held else None,
            place_id=self.lookups.places[self.s.facts[1]].id if place and self.s.facts[1] else None,
            location=None if place else texts.LOCATIONS[self.n % len(texts.LOCATIONS)],
            phases=[p.value for p in phases],
            minutes=self._pick(texts.MINUTES[kind]) if held else None,
            attendances=[m.SessionAttendance(participation_id=p.id) for p in attendees],
            mediator_links=[m.SessionMediator(user_id=u.id) for u in self.team],
        )
        self.session.add(meeting)
        await self.session.flush()
        await self._event("session_created", session_id=str(meeting.id), kind=meeting.kind, status=meeting.status)
        return meeting

    async def _agreement_reached(self) -> None:
        """A held joint session, the agreement with its items, and the parties' consent to document it."""
        core = self._core()
        earlier = self.day - timedelta(days=14)
        phases = (PH.THEMENSAMMLUNG, PH.INTERESSENKLAERUNG, PH.OPTIONEN)
        await self._meeting(SK.GEMEINSAME_SITZUNG, core, phases=phases, on=earlier)
        await self._meeting(SK.GEMEINSAME_SITZUNG, core, phases=(PH.OPTIONEN, PH.VEREINBARUNG))
        title, items = texts.AGREEMENTS.get(self.s.facts[2], texts.DEFAULT_AGREEMENT)
        agreement = m.Agreement(case_id=self.case.id, title=title, concluded_on=self.day)
        agreement.items = [
            m.AgreementItem(
                position=i + 1, responsible=who, action=what, due_on=self.day + timedelta(days=30 * (i + 1))
            )
            for i, (who, what) in enumerate(items)
        ]
        self.session.add(agreement)
        await self.session.flush()
        self.agreement = agreement
        await self._event(
            "agreement_created", agreement_id=str(agreement.id), item_ids=[str(i.id) for i in agreement.items]
        )
        for participation in core:
            await self._consent(participation, CP.DOCUMENTATION)

    async def _items(self, statuses: dict[int, m.ItemStatus]) -> None:
        assert self.agreement is not None
        for index, item in enumerate(self.agreement.items):
            status = statuses.get(index)
            if status is not None and item.status != status.value:
                before, item.status = item.status, status.value
                await self.session.flush()
                await self._event(
                    "agreement_item_updated",
                    agreement_id=str(self.agreement.id),
                    item_id=str(item.id),
                    fields=["status"],
                    status_from=before,
                    status_to=item.status,
                )

    async def _follow_up(self, step: Step) -> None:
        """The follow-up meeting and its result: the agreement holds, holds in part, or broke down."""
        assert self.agreement is not None
        assert step.result is not None
        await self._meeting(SK.NACHTREFFEN, self._core())
        last = len(self.agreement.items) - 1
        final = {
            m.FollowUpResult.TRAEGT: {i: IS.OBSOLET if i == last and last >= 2 else IS.UMGESETZT for i in range(9)},
            m.FollowUpResult.TEILWEISE: {i: IS.NICHT_UMGESETZT if i == last else IS.UMGESETZT for i in range(9)},
            m.FollowUpResult.NICHT: dict.fromkeys(range(1, 9), IS.NICHT_UMGESETZT),
        }[step.result]
        await self._items(final)
        self.agreement.follow_up_result = step.result.value
        self.agreement.follow_up_recorded_on = self.day
        await self.session.flush()
        await self._event(
            "agreement_updated",
            agreement_id=str(self.agreement.id),
            fields=["follow_up_recorded_on", "follow_up_result"],
            follow_up_result=step.result.value,
        )

    async def _note(self, tier: m.NoteTier, author: m.User, *, approve: bool = False) -> None:
        self.n += 1
        note = m.Note(case_id=self.case.id, author_id=author.id, tier=tier.value, body=self._pick(texts.NOTES[tier]))
        self.session.add(note)
        await self.session.flush()
        await self._event("note_created", note_id=str(note.id), tier=note.tier, actor=author)
        if approve:  # a shareable note may reach a round-table report only once a coordinator approves it
            note.approved_at, note.approved_by_id = now(), self.coordinator.id
            await self.session.flush()
            await self._event("note_approved", note_id=str(note.id), actor=self.coordinator)

    async def _administration_requests(self) -> None:
        for department, subject, status, answer in self.s.requests:
            answered = status in {m.AdministrationRequestStatus.BEANTWORTET, m.AdministrationRequestStatus.UMGESETZT}
            row = m.AdministrationRequest(
                case_id=self.case.id,
                department=department,
                subject=subject,
                status=status.value,
                answer=answer,
                submitted_on=None if status is m.AdministrationRequestStatus.OFFEN else self.day,
                answered_on=min(self.day + timedelta(days=42), self.present) if answered or answer else None,
            )
            self.session.add(row)
            await self.session.flush()
            await self._event("administration_request_created", request_id=str(row.id), status=row.status)

    # --- helpers ---

    def _pick(self, options: tuple[str, ...]) -> str:
        return options[(self.n + len(self.s.title)) % len(options)]

    async def _event(self, action: str, *, actor: m.User | None = None, **details: Any) -> None:
        actor = actor or (self.team[0] if self.team else self.coordinator)
        await append_event(self.session, case_id=self.case.id, actor_id=actor.id, action=action, details=details)
