"""Participations (party × case) and their consents: list, add, read, change, record a consent.

Adding works on the case the request loaded (`CaseAccess`); the routes named by a participation
get it with its case from `find` (the `participation_record` dependency). Recording a consent finds
the participation itself: the attempt it audits names the purpose, which only the request carries.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload, selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.records import CaseRecord, CaseRecordService, add_record, revise_record
from konfliktmanagement.domain.parties import aliases, schemas
from konfliktmanagement.domain.parties.services import clean_party_fields, visible_parties
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

PARTICIPATION_LOAD = (
    joinedload(m.Participation.party),
    selectinload(m.Participation.consents),
)


class ParticipationRepository(SQLAlchemyAsyncRepository[m.Participation]):
    model_type = m.Participation


class ParticipationService(CaseRecordService[m.Participation, ParticipationRepository]):
    repository_type = ParticipationRepository
    record_load = PARTICIPATION_LOAD

    async def list_for_case(self, access: CaseAccess) -> list[m.Participation]:
        # Parties and consents joined in: one statement for the case page's party section.
        rows = await self.session.scalars(
            select(m.Participation)
            .where(m.Participation.case_id == access.case_id)
            .options(joinedload(m.Participation.party), joinedload(m.Participation.consents))
        )
        return sorted(rows.unique(), key=lambda p: aliases.sort_key(p.alias))

    async def add(self, access: CaseAccess, data: schemas.ParticipationCreate) -> m.Participation:
        self._require_case_team(access, "add_participation")
        party, is_new = await self._party_for(access, data)
        return await self._join(access, party, data.role, data.status, is_new=is_new)

    async def add_by_pseudonym(self, access: CaseAccess, data: schemas.ParticipationByPseudonym) -> m.Participation:
        """A party of another case joins this one; errors name the fields of `ParticipationByPseudonym`.

        The lookup only finds parties of cases the user may read, so typing pseudonyms reveals nothing else.
        """
        self._require_case_team(access, "add_participation")
        party = await self._visible_party(access, m.Party.pseudonym == data.pseudonym.strip().upper())
        if party is None:
            message = _("Keine Partei mit diesem Pseudonym in den Fällen, die Sie sehen dürfen.")
            raise ValidationFailed([FieldError("pseudonym", message)])
        joining = await self._joinable(access, party, field="pseudonym")
        return await self._join(access, joining, data.role, data.status, is_new=False)

    async def change(self, found: CaseRecord[m.Participation], data: schemas.ParticipationUpdate) -> m.Participation:
        """Role and status of a participation; fields left out stay as they are."""
        access, participation = found
        self._require_case_team(access, "update_participation")

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            return changes  # role and status are choices: the Struct has checked them

        await revise_record(
            self.session,
            access,
            participation,
            data,
            validate=validate,
            event="participation_updated",
            details=lambda _changed: {"participation_id": str(participation.id)},
        )
        return participation

    async def record_consent(
        self, user: Principal, participation_id: UUID, purpose: m.ConsentPurpose, data: schemas.ConsentInput
    ) -> m.Participation:
        attempted = f"record_consent:{purpose.value}"
        access, participation = await self.find(user, participation_id, attempted=attempted, for_write=True)
        self._require_case_team(access, attempted)
        return await self._record_consent(access, participation, purpose, data)

    async def record_consents(
        self, user: Principal, participation_id: UUID, consents: list[tuple[m.ConsentPurpose, schemas.ConsentInput]]
    ) -> m.Participation:
        """Several consents of one participation at once (the page's one consent form), all or none.

        A refused date is named `<purpose>.<field>`, as the form names its fields.
        """
        access, participation = await self.find(user, participation_id, attempted="record_consents", for_write=True)
        self._require_case_team(access, "record_consents")
        errors: list[FieldError] = []
        for purpose, data in consents:
            try:
                _check_consent_dates(data.given_on, data.withdrawn_on)
            except ValidationFailed as exc:
                errors.extend(FieldError(f"{purpose.value}.{e.field}", e.message) for e in exc.errors)
        if errors:
            raise ValidationFailed(errors)
        for purpose, data in consents:
            await self._record_consent(access, participation, purpose, data)
        return participation

    async def _record_consent(
        self, access: CaseAccess, participation: m.Participation, purpose: m.ConsentPurpose, data: schemas.ConsentInput
    ) -> m.Participation:
        _check_consent_dates(data.given_on, data.withdrawn_on)
        consent = next((c for c in participation.consents if c.purpose == purpose.value), None)
        if consent is None:
            consent = m.Consent(purpose=purpose.value, given_on=data.given_on, withdrawn_on=data.withdrawn_on)
            participation.consents.append(consent)
        elif (consent.given_on, consent.withdrawn_on) == (data.given_on, data.withdrawn_on):
            return participation
        else:
            consent.given_on, consent.withdrawn_on = data.given_on, data.withdrawn_on
        await self.session.flush()
        details = {
            "participation_id": str(participation.id),
            "purpose": purpose.value,
            "given": True,
            "withdrawn": data.withdrawn_on is not None,
        }
        await append_event(
            self.session, case_id=access.case_id, actor_id=access.user.id, action="consent_recorded", details=details
        )
        return participation

    async def _party_for(self, access: CaseAccess, data: schemas.ParticipationCreate) -> tuple[m.Party, bool]:
        """The party to add and whether it is new; refuses a party already in this case."""
        session = self.session
        if data.party is not None and data.party_id is not None:
            raise ValidationFailed(
                [FieldError("party_id", _("Bitte entweder eine neue Partei (party) oder party_id angeben."))]
            )
        if data.party is not None:
            new = m.Party(kind=data.party.kind.value, **clean_party_fields(data.party, prefix="party."))
            session.add(new)
            await session.flush()
            return new, True
        if data.party_id is None:
            raise ValidationFailed(
                [FieldError("party", _("Bitte eine neue Partei (party) oder eine vorhandene (party_id) angeben."))]
            )
        party = await self._visible_party(access, m.Party.id == data.party_id)
        return await self._joinable(access, party, field="party_id"), False

    async def _visible_party(self, access: CaseAccess, condition: ColumnElement[bool]) -> m.Party | None:
        """A party of a case the user may read; no one learns of the others."""
        party: m.Party | None = await self.session.scalar(
            select(m.Party).where(condition, visible_parties(access.user))
        )
        return party

    async def _joinable(self, access: CaseAccess, party: m.Party | None, *, field: str) -> m.Party:
        """The party, unless it is unknown, erased or already in this case (refused naming `field`)."""
        if party is None or party.erased_at is not None:
            raise ValidationFailed([FieldError(field, _("Unbekannte Partei."))])
        already = await self.session.scalar(
            select(m.Participation.id).where(
                m.Participation.case_id == access.case_id, m.Participation.party_id == party.id
            )
        )
        if already is not None:
            raise ValidationFailed([FieldError(field, _("Diese Partei ist an dem Fall bereits beteiligt."))])
        return party

    async def _join(
        self,
        access: CaseAccess,
        party: m.Party,
        role: m.ParticipationRole,
        status: m.ParticipationStatus,
        *,
        is_new: bool,
    ) -> m.Participation:
        """The party joins the case under the next alias; the event names ids and choices, never the party."""
        taken = await self.session.scalars(
            select(m.Participation.alias).where(m.Participation.case_id == access.case_id)
        )
        participation = m.Participation(
            case_id=access.case_id,
            party_id=party.id,
            alias=aliases.next_alias(taken),
            role=role.value,
            status=status.value,
        )
        await add_record(
            self.session,
            access,
            participation,
            event="participation_added",
            details=lambda saved: {
                "participation_id": str(saved.id),
                "party_id": str(party.id),
                "new_party": is_new,
                "role": saved.role,
                "status": saved.status,
            },
        )
        return await self.reload(participation.id)

    def _require_case_team(self, access: CaseAccess, attempted: str) -> None:
        if not access.is_case_team:
            raise deny(self.session, access, attempted)


def _check_consent_dates(given_on: date, withdrawn_on: date | None) -> None:
    """Neither date lies in the future: `ConsentInput` refuses that at the field (`past_only`)."""
    if withdrawn_on is not None and withdrawn_on < given_on:
        raise ValidationFailed([FieldError("withdrawn_on", _("Der Widerruf kann nicht vor der Einwilligung liegen."))])
