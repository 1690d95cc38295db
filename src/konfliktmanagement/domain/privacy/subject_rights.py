"""Data-subject rights of one party: the export of everything stored about it (Art. 15) and its
erasure (Art. 17). A party may take part in several cases; both act on all of them and are audited
on each. The erasure keeps the participations as anonymised placeholders ("Partei C (gelöscht)"), so
the other parties' cases, their statistics and the workflow's guards keep working.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

import structlog
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event, queue_denial
from konfliktmanagement.domain.cases.access import CaseAccess, Write, readable_cases
from konfliktmanagement.domain.cases.loading import load_case
from konfliktmanagement.domain.privacy import erasure, schemas
from konfliktmanagement.domain.privacy.access import may_erase, may_export
from konfliktmanagement.lib.clock import now, today
from konfliktmanagement.lib.exceptions import FieldError, NotAllowed, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.services import Service

logger = structlog.get_logger("konfliktmanagement.privacy")


def placeholder(alias: str) -> str:
    return _("%(alias)s (gelöscht)") % {"alias": alias}


def withheld() -> list[schemas.Withheld]:
    return [
        schemas.Withheld(
            _("Notizen der Mediator:innen"),
            _(
                "Arbeitsnotizen unterliegen der Verschwiegenheit nach § 4 Mediationsgesetz "
                "und betreffen auch andere Beteiligte."
            ),
        ),
        schemas.Withheld(
            _("Sitzungsprotokolle und Fallbeschreibung"),
            _("Sie enthalten Angaben über andere Parteien (Art. 15 Abs. 4 DSGVO); auf Wunsch wird ein Auszug geprüft."),
        ),
        schemas.Withheld(
            _("Angaben über andere Parteien"),
            _("Namen und Kontaktdaten anderer Beteiligter werden nicht herausgegeben (Art. 15 Abs. 4 DSGVO)."),
        ),
    ]


@dataclass(frozen=True, slots=True)
class PartyCases:
    party: m.Party
    accesses: list[CaseAccess]  # every case of the party this user may read, loaded once


class PartyRightsRepository(SQLAlchemyAsyncRepository[m.Party]):
    model_type = m.Party


class PartyRightsService(Service[m.Party, PartyRightsRepository]):
    repository_type = PartyRightsRepository

    async def _cases(self, user: Principal, party_id: UUID, *, attempted: str, for_write: bool) -> PartyCases:
        session = self.session
        readable = list(
            await session.scalars(
                select(m.Participation.case_id)
                .join(m.Case, m.Case.id == m.Participation.case_id)
                .where(m.Participation.party_id == party_id, readable_cases(user))
                .order_by(m.Participation.case_id)  # one lock order for every writer
            )
        )
        if not readable:
            for case_id in await session.scalars(
                select(m.Participation.case_id).where(m.Participation.party_id == party_id)
            ):
                queue_denial(session, case_id=case_id, actor_id=user.id, attempted=attempted)
            raise NotFound
        accesses = []
        for case_id in readable:
            # Archived cases refuse writes; an erasure has nothing left to change there anyway.
            status = await session.scalar(select(m.Case.status).where(m.Case.id == case_id))
            # A closed case is still open to this legal step (Write.LIFECYCLE), unlike its records.
            write = Write.LIFECYCLE if for_write and status != m.CaseStatus.ARCHIVIERT else False
            accesses.append(await load_case(session, user, case_id, attempted=attempted, for_write=write))
        party = await session.scalar(
            select(m.Party).where(m.Party.id == party_id).execution_options(populate_existing=True)
        )
        if party is None:
            raise NotFound
        return PartyCases(party, accesses)

    def _refuse(self, found: PartyCases, attempted: str, message: str) -> NotAllowed:
        for access in found.accesses:
            queue_denial(self.session, case_id=access.case_id, actor_id=access.user.id, attempted=attempted)
        return NotAllowed(message)

    async def export(self, user: Principal, party_id: UUID) -> schemas.PartyExport:
        found = await self._cases(user, party_id, attempted="party_export", for_write=False)
        if not any(may_export(access) for access in found.accesses):
            raise self._refuse(
                found,
                "party_export",
                _(
                    "Nur die Mediator:innen und die Koordination eines Falls dieser Partei "
                    "dürfen die Auskunft erstellen."
                ),
            )
        party = found.party
        participations = list(
            await self.session.scalars(
                select(m.Participation)
                .where(m.Participation.party_id == party.id)
                .options(selectinload(m.Participation.consents))
                .order_by(m.Participation.created_at)
            )
        )
        cases = {
            row.id: row
            for row in await self.session.scalars(
                select(m.Case).where(m.Case.id.in_([p.case_id for p in participations]))
            )
        }
        exported = [await self._participation(p, cases[p.case_id], party) for p in participations]
        for access in found.accesses:
            await append_event(
                self.session,
                case_id=access.case_id,
                actor_id=user.id,
                action="party_exported",
                details={"party_id": str(party.id)},
            )
        logger.info("party_exported", party_id=str(party.id), user_id=str(user.id), cases=len(participations))
        return schemas.PartyExport(
            generated_at=now(),
            party=schemas.ExportParty(
                id=party.id,
                pseudonym=party.pseudonym,
                kind=party.kind,
                name=party.name or None,
                phone=party.phone,
                email=party.email,
                address=party.address,
                language=party.language,
                group_size_estimate=party.group_size_estimate,
                recorded_at=party.created_at,
                erased_at=party.erased_at,
            ),
            participations=exported,
            withheld=withheld(),
        )

    async def _participation(
        self, participation: m.Participation, case: m.Case, party: m.Party
    ) -> schemas.ExportParticipation:
        session = self.session
        sessions = await session.scalars(
            select(m.MediationSession)
            .join(m.SessionAttendance, m.SessionAttendance.session_id == m.MediationSession.id)
            .where(m.SessionAttendance.participation_id == participation.id)
            .order_by(m.MediationSession.scheduled_at, m.MediationSession.id)
        )
        names = {participation.alias.casefold()} | ({party.name.casefold()} if party.name else set())
        items = await session.execute(
            select(m.AgreementItem, m.Agreement.title)
            .join(m.Agreement, m.Agreement.id == m.AgreementItem.agreement_id)
            .where(m.Agreement.case_id == case.id)
            .order_by(m.Agreement.created_at, m.AgreementItem.position)
        )
        return schemas.ExportParticipation(
            case_reference=case.reference,
            case_status=case.status,
            alias=participation.alias,
            role=participation.role,
            status=participation.status,
            recorded_at=participation.created_at,
            consents=[
                schemas.ExportConsent(c.purpose, c.given_on, c.withdrawn_on)
                for c in sorted(participation.consents, key=lambda c: c.purpose)
            ],
            sessions_attended=[schemas.ExportSession(s.kind, s.status, s.scheduled_at, s.held_at) for s in sessions],
            agreement_items=[
                schemas.ExportItem(title, item.position, item.responsible, item.action, item.due_on, item.status)
                for item, title in items.all()
                if any(name and name in item.responsible.casefold() for name in names)
            ],
        )

    async def check_erasable(self, user: Principal, party_id: UUID) -> None:
        """For the erasure form: 404 unless a case of the party is readable, 403 unless it is the user's to erase."""
        found = await self._cases(user, party_id, attempted="party_erasure", for_write=False)
        if not any(may_erase(access) for access in found.accesses):
            raise self._refuse(found, "party_erasure", _("Nur die Koordination darf die Daten einer Partei löschen."))

    async def erase(self, user: Principal, party_id: UUID, data: schemas.ErasureRequest) -> schemas.ErasureOut:
        """Irreversible; a second call answers the same placeholders and changes nothing."""
        found = await self._cases(user, party_id, attempted="party_erasure", for_write=True)
        if not any(may_erase(access) for access in found.accesses):
            raise self._refuse(found, "party_erasure", _("Nur die Koordination darf die Daten einer Partei löschen."))
        party = found.party
        participations = list(
            await self.session.scalars(
                select(m.Participation).where(m.Participation.party_id == party.id).order_by(m.Participation.case_id)
            )
        )
        placeholders = [placeholder(p.alias) for p in participations]
        if party.erased_at is not None:
            return schemas.ErasureOut(party.id, party.pseudonym, party.erased_at, placeholders, already_erased=True)
        errors = []
        if not data.reason.strip():
            errors.append(FieldError("reason", _("Bitte begründen Sie die Löschung.")))
        if not data.confirm:
            errors.append(FieldError("confirm", _("Bitte bestätigen Sie, dass die Löschung endgültig ist.")))
        if errors:
            raise ValidationFailed(errors)
        items = await erasure.attributed_items(self.session, party, apply=True)
        files = await erasure.attributed_attachments(self.session, party, apply=True)
        await erasure.parties(self.session, [party.id], apply=True)
        references = {
            row.id: row.reference
            for row in await self.session.execute(
                select(m.Case.id, m.Case.reference).where(m.Case.id.in_([p.case_id for p in participations]))
            )
        }
        run_id, at = uuid4(), now()
        writable = {access.case_id for access in found.accesses if access.case.status != m.CaseStatus.ARCHIVIERT}
        for participation in participations:
            self.session.add(
                m.DeletionLog(
                    run_id=run_id,
                    performed_at=at,
                    as_of=today(),
                    trigger="erasure",
                    data_class="contact",
                    case_reference=references[participation.case_id],
                    records=1 + items.get(participation.case_id, 0) + files.get(participation.case_id, 0),
                    policy_version=None,
                )
            )
            if participation.case_id in writable:
                await append_event(
                    self.session,
                    case_id=participation.case_id,
                    actor_id=user.id,
                    action="party_erased",
                    reason=data.reason.strip(),
                    details={
                        "participation_id": str(participation.id),
                        "agreement_items": items.get(participation.case_id, 0),
                        "attachments": files.get(participation.case_id, 0),
                    },
                )
        await self.session.flush()
        logger.info("party_erased", party_id=str(party.id), user_id=str(user.id), cases=len(participations))
        return schemas.ErasureOut(party.id, party.pseudonym, party.erased_at or at, placeholders, already_erased=False)
