"""Round tables: coordinators manage them, members see their own (DESIGN.md §2, §4, §6).

Names are unique; members are users holding the round-table role, each with the organisation
they speak for. Duplicates are found before writing so the person sees which field to change;
the database constraints stay as the last line of defence. Nothing here touches case data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.round_tables import schemas
from konfliktmanagement.domain.round_tables.access import may_join, sits_at
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.lib.exceptions import FieldError, NotFound, StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version, required_text
from konfliktmanagement.lib.services import Service


class RoundTableRepository(SQLAlchemyAsyncRepository[m.RoundTable]):
    model_type = m.RoundTable


class RoundTableService(Service[m.RoundTable, RoundTableRepository]):
    repository_type = RoundTableRepository

    async def find(self, round_table_id: UUID) -> m.RoundTable:
        return await RoundTableQuery(self.session).table(round_table_id)

    # -- round tables ---------------------------------------------------------------------------

    async def establish(self, actor: Principal, data: schemas.RoundTableInput) -> m.RoundTable:
        name, description, quartiers = await self._checked(data, exclude=None)
        round_table = m.RoundTable(name=name, description=description, created_by_id=actor.id, quartiers=quartiers)
        round_table.members = []  # loaded (empty), so the page after saving can show it
        await self._write(round_table)
        return await self.find(round_table.id)

    async def revise(self, round_table_id: UUID, version: int, data: schemas.RoundTableInput) -> m.RoundTable:
        round_table = await self.find(round_table_id)
        ensure_version(round_table, version)
        name, description, quartiers = await self._checked(data, exclude=round_table.id)
        round_table.name = name
        round_table.description = description
        round_table.quartiers = quartiers
        # A change of quartiers alone updates no column; touching the row makes it count as a new version.
        round_table.updated_at = datetime.now(UTC)
        await self._write(round_table)
        return await self.find(round_table_id)

    async def _checked(self, data: schemas.RoundTableInput, exclude: UUID | None) -> tuple[str, str, list[m.Quartier]]:
        errors: list[FieldError] = []
        name = required_text(errors, "name", data.name)
        taken = select(m.RoundTable.id).where(m.RoundTable.name == name)
        if exclude is not None:
            taken = taken.where(m.RoundTable.id != exclude)
        if name and await self.session.scalar(taken.limit(1)) is not None:
            errors.append(FieldError("name", _("Diesen Namen trägt schon ein anderer Runder Tisch.")))
        wanted = set(data.quartier_ids)
        quartiers = list(await self.session.scalars(select(m.Quartier).where(m.Quartier.id.in_(wanted))))
        if not wanted:
            errors.append(FieldError("quartier_ids", _("Bitte mindestens ein Quartier wählen.")))
        elif len(quartiers) != len(wanted):
            errors.append(FieldError("quartier_ids", _("Bitte nur Quartiere aus der Liste wählen.")))
        if errors:
            raise ValidationFailed(errors)
        return name, (data.description or "").strip(), quartiers

    # -- members --------------------------------------------------------------------------------

    async def add_member(self, round_table_id: UUID, data: schemas.MemberInput) -> m.RoundTableMember:
        round_table = await self.find(round_table_id)
        errors: list[FieldError] = []
        organisation = required_text(errors, "organisation", data.organisation)
        user = await self.session.scalar(
            select(m.User)
            .where(m.User.id == data.user_id)
            .options(selectinload(m.User.role_rows))
            .execution_options(populate_existing=True)
        )
        if user is None or not may_join(user):
            errors.append(
                FieldError("user_id", _("Bitte eine Person mit der Rolle „Runder Tisch“ aus der Liste wählen."))
            )
        elif sits_at(user, round_table):
            errors.append(FieldError("user_id", _("Diese Person ist schon Mitglied dieses Runden Tisches.")))
        if errors:
            raise ValidationFailed(errors)
        member = m.RoundTableMember(round_table_id=round_table.id, user_id=data.user_id, organisation=organisation)
        try:
            async with self.session.begin_nested():
                self.session.add(member)
        except IntegrityError as exc:  # the same person added twice at once
            message = _("Diese Person ist schon Mitglied dieses Runden Tisches.")
            raise ValidationFailed([FieldError("user_id", message)]) from exc
        return member

    async def remove_member(self, round_table_id: UUID, user_id: UUID) -> None:
        session = self.session
        member = await session.scalar(
            select(m.RoundTableMember).where(
                m.RoundTableMember.round_table_id == round_table_id, m.RoundTableMember.user_id == user_id
            )
        )
        if member is None:
            raise NotFound
        await session.delete(member)
        await session.flush()

    # -- helpers --------------------------------------------------------------------------------

    async def _write(self, round_table: m.RoundTable) -> None:
        """Write at once inside a savepoint, so a race becomes an error a person can act on."""
        session = self.session
        try:
            async with session.begin_nested():
                session.add(round_table)
        except IntegrityError as exc:
            message = _("Bereits vergeben – jemand hat eben einen gleichen Eintrag gespeichert.")
            raise ValidationFailed([FieldError("name", message)]) from exc
        except StaleDataError as exc:
            current: Any = await session.scalar(select(m.RoundTable.version).where(m.RoundTable.id == round_table.id))
            raise StaleVersion(current or 0) from exc
