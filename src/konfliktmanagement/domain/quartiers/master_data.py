"""Master data for admins: Stadtbezirke, their quartiers and the places in them (DESIGN.md §2).

Codes and names are unique (places: per quartier). Duplicates are found before writing, so the
person sees which field to change; the database constraints stay as the last line of defence, and
a violation that slips through a race is still reported as a field error, never as a crash.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.base import ExecutableOption

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers import schemas
from konfliktmanagement.lib.exceptions import FieldError, NotFound, StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import apply_changes, ensure_version
from konfliktmanagement.lib.services import Service

Record = TypeVar("Record", m.Stadtbezirk, m.Quartier, m.Place)


class StadtbezirkRepository(SQLAlchemyAsyncRepository[m.Stadtbezirk]):
    model_type = m.Stadtbezirk


class MasterDataService(Service[m.Stadtbezirk, StadtbezirkRepository]):
    repository_type = StadtbezirkRepository

    # -- reading ------------------------------------------------------------------------------

    async def get_stadtbezirk(self, district_id: UUID) -> m.Stadtbezirk:
        return await self._get(m.Stadtbezirk, district_id)

    async def get_quartier(self, quartier_id: UUID) -> m.Quartier:
        return await self._get(m.Quartier, quartier_id, selectinload(m.Quartier.stadtbezirk))

    async def get_place(self, place_id: UUID) -> m.Place:
        return await self._get(m.Place, place_id, selectinload(m.Place.quartier))

    async def case_count(self, place_id: UUID) -> int:
        """How many cases name this place (a number only: admins see no case content)."""
        count = await self.session.scalar(select(func.count()).select_from(m.Case).where(m.Case.place_id == place_id))
        return int(count or 0)

    # -- Stadtbezirke ---------------------------------------------------------------------------

    async def create_stadtbezirk(self, data: schemas.StadtbezirkInput) -> m.Stadtbezirk:
        await self._check_district(data, exclude=None)
        district = m.Stadtbezirk(code=data.code, name=data.name)
        async with self._writing(("code", "name")):
            self.session.add(district)
        return district

    async def update_stadtbezirk(
        self, district_id: UUID, version: int, data: schemas.StadtbezirkInput
    ) -> m.Stadtbezirk:
        district = await self.get_stadtbezirk(district_id)
        ensure_version(district, version)
        await self._check_district(data, exclude=district.id)
        async with self._writing(("code", "name"), district):
            apply_changes(district, {"code": data.code, "name": data.name})
        return district

    async def _check_district(self, data: schemas.StadtbezirkInput, exclude: UUID | None) -> None:
        code_taken = _("Dieser Code ist schon an einen anderen Stadtbezirk vergeben.")
        name_taken = _("Diesen Namen trägt schon ein anderer Stadtbezirk.")
        errors = await self._unique_code_and_name(m.Stadtbezirk, data, exclude, code_taken, name_taken)
        if errors:
            raise ValidationFailed(errors)

    # -- quartiers ------------------------------------------------------------------------------

    async def create_quartier(self, data: schemas.QuartierInput) -> m.Quartier:
        await self._check_quartier(data, exclude=None)
        quartier = m.Quartier(code=data.code, name=data.name, stadtbezirk_id=data.stadtbezirk_id)
        async with self._writing(("code", "name")):
            self.session.add(quartier)
        return quartier

    async def update_quartier(self, quartier_id: UUID, version: int, data: schemas.QuartierInput) -> m.Quartier:
        quartier = await self.get_quartier(quartier_id)
        ensure_version(quartier, version)
        await self._check_quartier(data, exclude=quartier.id)
        async with self._writing(("code", "name"), quartier):
            changed = apply_changes(
                quartier, {"code": data.code, "name": data.name, "stadtbezirk_id": data.stadtbezirk_id}
            )
        if "stadtbezirk_id" in changed:
            await self.session.refresh(quartier, attribute_names=["stadtbezirk"])
        return quartier

    async def _check_quartier(self, data: schemas.QuartierInput, exclude: UUID | None) -> None:
        code_taken = _("Dieser Code ist schon an ein anderes Quartier vergeben.")
        name_taken = _("Diesen Namen trägt schon ein anderes Quartier.")
        errors = await self._unique_code_and_name(m.Quartier, data, exclude, code_taken, name_taken)
        if not await self._exists(m.Stadtbezirk, data.stadtbezirk_id):
            errors.append(FieldError("stadtbezirk_id", _("Bitte einen Stadtbezirk aus der Liste wählen.")))
        if errors:
            raise ValidationFailed(errors)

    # -- places ---------------------------------------------------------------------------------

    async def create_place(self, data: schemas.PlaceInput) -> m.Place:
        await self._check_place(data, place=None)
        place = m.Place(quartier_id=data.quartier_id, name=data.name, latitude=data.latitude, longitude=data.longitude)
        async with self._writing(("name",)):
            self.session.add(place)
        return place

    async def update_place(self, place_id: UUID, version: int, data: schemas.PlaceInput) -> m.Place:
        place = await self.get_place(place_id)
        ensure_version(place, version)
        await self._check_place(data, place=place)
        async with self._writing(("name",), place):
            changed = apply_changes(
                place,
                {
                    "name": data.name,
                    "quartier_id": data.quartier_id,
                    "latitude": data.latitude,
                    "longitude": data.longitude,
                },
            )
        if "quartier_id" in changed:
            await self.session.refresh(place, attribute_names=["quartier"])
        return place

    async def _check_place(self, data: schemas.PlaceInput, place: m.Place | None) -> None:
        errors = coordinate_errors(data.latitude, data.longitude)
        if not await self._exists(m.Quartier, data.quartier_id):
            errors.append(FieldError("quartier_id", _("Bitte ein Quartier aus der Liste wählen.")))
        elif place is not None and place.quartier_id != data.quartier_id and await self.case_count(place.id):
            # Its cases name the old quartier; moving the place would make them contradict it.
            errors.append(
                FieldError(
                    "quartier_id",
                    _(
                        "Zu diesem Ort gibt es schon Fälle; er bleibt im bisherigen Quartier. "
                        "Legen Sie bei Bedarf einen neuen Ort an."
                    ),
                )
            )
        same_name = and_(m.Place.quartier_id == data.quartier_id, m.Place.name == data.name)
        if await self._taken(same_name, m.Place, place.id if place is not None else None):
            errors.append(FieldError("name", _("In diesem Quartier gibt es schon einen Ort mit diesem Namen.")))
        if errors:
            raise ValidationFailed(errors)

    # -- helpers --------------------------------------------------------------------------------

    async def _get(self, model: type[Record], row_id: UUID, *options: ExecutableOption) -> Record:
        row = await self.session.scalar(select(model).where(model.id == row_id).options(*options))
        if row is None:
            raise NotFound
        return row

    async def _taken(self, condition: Any, model: Any, exclude: UUID | None) -> bool:
        query = select(model.id).where(condition)
        if exclude is not None:
            query = query.where(model.id != exclude)
        return await self.session.scalar(query.limit(1)) is not None

    async def _unique_code_and_name(
        self,
        model: type[m.Stadtbezirk | m.Quartier],
        data: schemas.StadtbezirkInput | schemas.QuartierInput,
        exclude: UUID | None,
        code_taken: str,
        name_taken: str,
    ) -> list[FieldError]:
        """Field errors for a code or a name another row of `model` (not `exclude`) already has."""
        errors = []
        if await self._taken(model.code == data.code, model, exclude):
            errors.append(FieldError("code", code_taken))
        if await self._taken(model.name == data.name, model, exclude):
            errors.append(FieldError("name", name_taken))
        return errors

    async def _exists(self, model: Any, row_id: UUID) -> bool:
        return await self.session.scalar(select(model.id).where(model.id == row_id)) is not None

    @asynccontextmanager
    async def _writing(self, unique_fields: Sequence[str], row: Any = None) -> AsyncIterator[None]:
        """Make the changes inside a savepoint and write them at once.

        What a concurrent save slips past the checks above becomes the error a person can act on
        (a field error, or "inzwischen geändert"); the savepoint keeps the session usable for the
        page that shows it.
        """
        session = self.session
        try:
            async with session.begin_nested():
                yield
        except IntegrityError as exc:
            message = _("Bereits vergeben – jemand hat eben einen gleichen Eintrag gespeichert.")
            raise ValidationFailed([FieldError(name, message) for name in unique_fields]) from exc
        except StaleDataError as exc:
            model = type(row)
            current = await session.scalar(select(model.version).where(model.id == row.id))
            raise StaleVersion(current or 0) from exc


def coordinate_errors(latitude: float | None, longitude: float | None) -> list[FieldError]:
    """Coordinates come as a pair: one without the other cannot be placed on a map."""
    if (latitude is None) == (longitude is None):
        return []
    missing = "longitude" if longitude is None else "latitude"
    return [FieldError(missing, _("Bitte Breite und Länge angeben – oder beide leer lassen."))]
