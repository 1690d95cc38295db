"""Participations (party × case) and their consents: list, add, read, update, record a consent."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess, CaseRole
from konfliktmanagement.domain.cases.loading import case_id_of, deny, load_case
from konfliktmanagement.domain.parties import aliases, schemas
from konfliktmanagement.domain.parties.services import clean_party_fields, visible_parties
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.exceptions import FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version

PARTICIPATION_LOAD = (
    joinedload(m.Participation.party),
    selectinload(m.Participation.consents),
)


def require_case_team(session: AsyncSession, access: CaseAccess, user: m.User, attempted: str) -> None:
    """Coordinators may record parties too (intake happens before mediators are assigned)."""
    if access.role not in {CaseRole.ASSIGNED_MEDIATOR, CaseRole.COORDINATOR}:
        raise deny(session, access, attempted)


class ParticipationRepository(SQLAlchemyAsyncRepository[m.Participation]):
    model_type = m.Participation


class ParticipationService(SQLAlchemyAsyncRepositoryService[m.Participation, ParticipationRepository]):
    repository_type = ParticipationRepository

    async def list_for_case(self, access: CaseAccess) -> list[m.Participation]:
        rows = await self.repository.session.scalars(
            select(m.Participation).where(m.Participation.case_id == access.case_id).options(*PARTICIPATION_LOAD)
        )
        return sorted(rows, key=lambda p: aliases.sort_key(p.alias))

    async def add(self, user: m.User, case_id: UUID, data: schemas.ParticipationCreate) -> m.Participation:
        session = self.repository.session
        access = await load_case(session, user, case_id, attempted="add_participation", for_write=True)
        require_case_team(session, access, user, "add_participation")
        party, is_new = await self._party_for(user, case_id, data)
        taken = await session.scalars(select(m.Participation.alias).where(m.Participation.case_id == case_id))
        participation = m.Participation(
            case_id=case_id,
            party_id=party.id,
            alias=aliases.next_alias(taken),
            role=data.role.value,
            status=data.status.value,
        )
        session.add(participation)
        await session.flush()
        await append_event(
            session,
            case_id=case_id,
            actor_id=user.id,
            action="participation_added",
            details={
                "participation_id": str(participation.id),
                "party_id": str(party.id),
                "new_party": is_new,
                "role": participation.role,
                "status": participation.status,
            },
        )
        return await self._get(participation.id)

    async def detail(self, user: m.User, participation_id: UUID) -> m.Participation:
        await load_case(
            self.repository.session,
            user,
            await case_id_of(self.repository.session, m.Participation, participation_id),
            attempted="read",
        )
        return await self._get(participation_id)

    async def update(self, user: m.User, participation_id: UUID, data: schemas.ParticipationUpdate) -> m.Participation:
        session = self.repository.session
        access = await self._access_for_write(user, participation_id, "update_participation")
        participation = await self._get(participation_id)
        ensure_version(participation, data.version)
        changed = []
        for name in ("role", "status"):
            value = getattr(data, name)
            if value is not msgspec.UNSET and getattr(participation, name) != value.value:
                setattr(participation, name, value.value)
                changed.append(name)
        if changed:
            await session.flush()
            await append_event(
                session,
                case_id=access.case.id,
                actor_id=user.id,
                action="participation_updated",
                details={"participation_id": str(participation.id), "fields": changed},
            )
        return participation

    async def record_consent(
        self, user: m.User, participation_id: UUID, purpose: m.ConsentPurpose, data: schemas.ConsentInput
    ) -> m.Participation:
        session = self.repository.session
        access = await self._access_for_write(user, participation_id, f"record_consent:{purpose.value}")
        _check_consent_dates(data.given_on, data.withdrawn_on)
        participation = await self._get(participation_id)
        consent = next((c for c in participation.consents if c.purpose == purpose.value), None)
        if consent is None:
            consent = m.Consent(purpose=purpose.value, given_on=data.given_on, withdrawn_on=data.withdrawn_on)
            participation.consents.append(consent)
        elif (consent.given_on, consent.withdrawn_on) == (data.given_on, data.withdrawn_on):
            return participation
        else:
            consent.given_on, consent.withdrawn_on = data.given_on, data.withdrawn_on
        await session.flush()
        await append_event(
            session,
            case_id=access.case.id,
            actor_id=user.id,
            action="consent_recorded",
            details={
                "participation_id": str(participation.id),
                "purpose": purpose.value,
                "given": True,
                "withdrawn": data.withdrawn_on is not None,
            },
        )
        return participation

    async def _party_for(self, user: m.User, case_id: UUID, data: schemas.ParticipationCreate) -> tuple[m.Party, bool]:
        """The party to add and whether it is new; refuses a party already in this case."""
        session = self.repository.session
        if data.party is not None and data.party_id is not None:
            raise ValidationFailed(
                [FieldError("party_id", _("Bitte entweder eine neue Partei (party) oder party_id angeben."))]
            )
        if data.party is not None:
            party = m.Party(kind=data.party.kind.value, **clean_party_fields(data.party, prefix="party."))
            session.add(party)
            await session.flush()
            return party, True
        if data.party_id is None:
            raise ValidationFailed(
                [FieldError("party", _("Bitte eine neue Partei (party) oder eine vorhandene (party_id) angeben."))]
            )
        party = await session.scalar(
            select(m.Party).where(m.Party.id == data.party_id, m.Party.erased_at.is_(None), visible_parties(user))
        )
        if party is None:
            raise ValidationFailed([FieldError("party_id", _("Unbekannte Partei."))])
        already = await session.scalar(
            select(m.Participation.id).where(m.Participation.case_id == case_id, m.Participation.party_id == party.id)
        )
        if already is not None:
            raise ValidationFailed([FieldError("party_id", _("Diese Partei ist an dem Fall bereits beteiligt."))])
        return party, False

    async def _access_for_write(self, user: m.User, participation_id: UUID, attempted: str) -> CaseAccess:
        # The case row is locked before the participation is read, so the version check below
        # compares against what the previous writer committed.
        session = self.repository.session
        access = await load_case(
            session,
            user,
            await case_id_of(self.repository.session, m.Participation, participation_id),
            attempted=attempted,
            for_write=True,
        )
        require_case_team(session, access, user, attempted)
        return access

    async def _get(self, participation_id: UUID) -> m.Participation:
        participation = await self.repository.session.scalar(
            select(m.Participation)
            .where(m.Participation.id == participation_id)
            .options(*PARTICIPATION_LOAD)
            .execution_options(populate_existing=True)
        )
        if participation is None:
            raise NotFound
        return participation


def _check_consent_dates(given_on: date, withdrawn_on: date | None) -> None:
    errors = []
    if given_on > today():
        errors.append(FieldError("given_on", _("Das Datum der Einwilligung darf nicht in der Zukunft liegen.")))
    if withdrawn_on is not None:
        if withdrawn_on < given_on:
            errors.append(FieldError("withdrawn_on", _("Der Widerruf kann nicht vor der Einwilligung liegen.")))
        elif withdrawn_on > today():
            errors.append(FieldError("withdrawn_on", _("Das Datum des Widerrufs darf nicht in der Zukunft liegen.")))
    if errors:
        raise ValidationFailed(errors)
