"""Realising one demo scenario: the case is created with `CaseService` and moved along the
scenario's path with `transitions.perform` — by the coordinator for coordinator steps, by an
assigned mediator for mediator steps — after the data each guard needs has been recorded
(`demo_records`). So guards, versions and the hash-chained audit trail are the app's own.

Each step is replayed at its moment (`demo_history.schedule`, `lib.clock.replay`): the services
stamp the case, its events and its records as they would have then, and the audit chain covers
those times. Dates that lie ahead (planned sessions, follow-ups, Wiedervorlagen still open) count
from the real today (`present`), so the agenda and the dashboard have something due.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases import schemas, workflow
from konfliktmanagement.domain.cases.access import Write
from konfliktmanagement.domain.system.demo_history import schedule
from konfliktmanagement.domain.system.demo_records import CP, IS, PH, PS, SK, SS, CaseRecords
from konfliktmanagement.domain.system.demo_scenario import Step
from konfliktmanagement.lib.clock import BERLIN

S = m.CaseStatus
PLANNED_AHEAD = timedelta(days=14)  # a date the guards accept when the scenario's date lies before the step


class CaseBuilder(CaseRecords):
    async def realise(self, move_to: Callable[[datetime], None], present: datetime) -> m.Case:
        """Replay the scenario: `move_to` sets the clock to each moment of its schedule in turn."""
        closes = bool(self.s.path) and self.s.path[-1].to in workflow.CLOSED
        moments = schedule(self.s.title, self.s.age, len(self.s.path), present, closes=closes)
        days = [moment.astimezone(BERLIN).date() for moment in moments] + [self.present]
        self._at(move_to, moments[0])
        await self._create()
        if self.s.escalation_later is not None:
            self.changes["escalation_level"] = self.s.escalation_later
        for index, step in enumerate(self.s.path):
            self._at(move_to, moments[index + 1])
            following = self.s.path[index + 1] if index + 1 < len(self.s.path) else None
            closing = step.to in workflow.CLOSED
            if closing:  # a closed case takes no edits or records: what is pending is recorded before
                await self._edit()
                if index == 0:
                    await self._administration_requests()
            await self._step(step, following, days[index + 2] - timedelta(days=1))
            if index == 0 and not closing:
                await self._administration_requests()
        await self._edit()
        await self.session.flush()  # what is still pending, while the clock is at the case's last moment
        return self.case

    def _at(self, move_to: Callable[[datetime], None], moment: datetime) -> None:
        move_to(moment)
        self.day = moment.astimezone(BERLIN).date()

    async def _edit(self) -> None:
        """One edit of what is pending, as a mediator would record phase, dates and the reassessed
        escalation level: the case page shows the same, with a fraction of the queries."""
        if self.changes:
            data = schemas.CaseUpdate(version=self.case.version, **self.changes)
            self.case = await self.cases.revise(await self._access(self.coordinator), data)
            self.changes = {}

    # --- the case and the workflow ---

    async def _create(self) -> None:
        quartier, place, conflict, source, urgency, escalation = self.s.facts
        author = self.team[0] if self.s.recorded_by_mediator else self.coordinator
        data = schemas.CaseCreate(
            title=self.s.title,
            description=self.s.description,
            conflict_type_id=self.lookups.conflict_types[conflict].id,
            quartier_id=self.lookups.quartiers[quartier].id,
            place_id=self.lookups.places[place].id if place else None,
            referral_source=source,
            urgency=urgency,
            escalation_level=escalation,
        )
        self.case = await self.cases.record(Principal.of(author), data)
        # A mediator who records a case is on it already; the coordinator adds the partner.
        if self.team and (not self.s.recorded_by_mediator or len(self.team) > 1):
            assignment = schemas.MediatorAssignment(version=self.case.version, mediator_ids=[u.id for u in self.team])
            self.case = await self.cases.assign_mediators(await self._access(self.coordinator), assignment)
        await self._add_participations(self.s.parties[:1])

    async def _perform(self, step: Step, **given: Any) -> None:
        source = S(self.case.status)
        transition = workflow.find(source, step.to)
        assert transition is not None, f"{self.s.title}: {source} → {step.to}"
        mediator_may = workflow.Actor.MEDIATOR in transition.actors and self.team
        by_coordinator = not mediator_may or (step.by_coordinator and workflow.Actor.COORDINATOR in transition.actors)
        request = schemas.TransitionRequest(
            to=step.to, reason=step.reason, outcome=step.outcome, recipient=step.recipient, **given
        )
        actor = self.coordinator if by_coordinator else self.team[0]
        self.case = await self.workflow.perform(await self._access(actor, Write.LIFECYCLE), request)

    async def _step(self, step: Step, following: Step | None, before_next: date) -> None:
        """Create what the step's guards need, perform it, then what follows from it."""
        source, target = S(self.case.status), step.to
        if target is S.IN_KLAERUNG and source is S.EINGEGANGEN:
            await self._perform(step)
            await self._add_participations(self.s.parties[1:])
            await self._note(m.NoteTier.CASE_TEAM, self.coordinator)
            if self.s.facts[1] is not None:
                await self._meeting(SK.ORTSBEGEHUNG, self.participations[:1], place=True)
        elif target is S.VORGESPRAECHE and source is S.IN_KLAERUNG:
            await self._perform(step)
            self.changes["phase"] = PH.AUFTRAGSKLAERUNG
            for participation in self._core():
                await self._set_status(participation, PS.INFORMIERT)
                await self._consent(participation, CP.CONTACT)
                await self._meeting(SK.VORGESPRAECH, [participation])
            if len(self.s.title) % 3 == 0:  # now and then a talk falls through or moves
                status = SS.ABGESAGT if len(self.s.title) % 2 else SS.VERSCHOBEN
                await self._meeting(SK.VORGESPRAECH, self._core()[-1:], status=status)
            await self._note(m.NoteTier.MEDIATOR_PRIVATE, self.team[0])
        elif target is S.IN_MEDIATION and source in {S.IN_KLAERUNG, S.VORGESPRAECHE}:
            for participation in self.participations:
                core = participation.is_core
                await self._set_status(participation, PS.ZUGESTIMMT if core else PS.INFORMIERT)
                if core:
                    await self._consent(participation, CP.MEDIATION)
            await self._perform(step)
            self.changes["phase"] = PH.THEMENSAMMLUNG if following else PH.INTERESSENKLAERUNG
            if following is None:
                await self._meeting(
                    SK.GEMEINSAME_SITZUNG, self._core(), phases=(PH.AUFTRAGSKLAERUNG, PH.THEMENSAMMLUNG)
                )
                await self._meeting(SK.GEMEINSAME_SITZUNG, self._core(), planned=self.present + timedelta(days=9))
        elif target is S.VEREINBARUNG:
            await self._agreement_reached()
            await self._perform(step)
            self.changes["phase"] = PH.VEREINBARUNG
            await self._items({0: IS.IN_UMSETZUNG})
            if following is None:  # a summary for the round table, awaiting the coordinator's approval
                await self._note(m.NoteTier.SHAREABLE, self.team[0])
        elif target is S.NACHBETREUUNG:
            wanted = self.present + timedelta(days=step.days) if step.days is not None else before_next
            await self._perform(step, follow_up_date=wanted if wanted >= self.day else self.day + PLANNED_AHEAD)
            await self._items({0: IS.UMGESETZT} | dict.fromkeys(range(1, 9), IS.IN_UMSETZUNG))
            if wanted < self.day:
                self.changes["follow_up_date"] = wanted  # the follow-up meeting's actual date
            elif wanted >= self.present:
                await self._meeting(SK.NACHTREFFEN, self._core(), planned=wanted)
        elif target is S.RUHEND:
            # Resumed later in the scenario: the Wiedervorlage fell on that day; else it lies `days` from today.
            wanted = self.present + timedelta(days=step.days or 0) if following is None else before_next
            await self._perform(step, resubmission_date=wanted if wanted > self.day else self.day + PLANNED_AHEAD)
            if wanted <= self.day:
                self.changes["resubmission_date"] = wanted  # the Wiedervorlage is overdue
        elif target is S.IN_MEDIATION and source is S.NACHBETREUUNG:
            await self._follow_up(step)
            await self._perform(step)
            self.changes["phase"] = PH.INTERESSENKLAERUNG
            await self._meeting(SK.GEMEINSAME_SITZUNG, self._core(), planned=self.present + timedelta(days=12))
        elif target is S.ABGESCHLOSSEN and source is S.NACHBETREUUNG:
            await self._follow_up(step)
            await self._note(m.NoteTier.SHAREABLE, self.team[0], approve=True)  # before: closed cases are read-only
            await self._perform(step)
        elif target is S.ABGESCHLOSSEN and source is S.VEREINBARUNG:
            await self._items(dict.fromkeys(range(9), IS.UMGESETZT))
            await self._note(m.NoteTier.SHAREABLE, self.team[0], approve=True)  # before: closed cases are read-only
            await self._perform(step)
        else:  # closing, referring, reopening, resuming, stepping back: the request carries all it needs
            if step.declines:
                await self._decline(self._core()[-1])
            await self._perform(step)
            if source in workflow.CLOSED:  # reopened: the assignment is clarified anew
                self.changes["phase"] = PH.AUFTRAGSKLAERUNG
