"""CSV import of quartiers and places: a preview of every row, then all rows in one transaction.

Nothing is kept on the server between preview and import: the confirm form carries the CSV text
back, and the import plans it again from scratch, so it applies exactly what the rules allow at
that moment. While any row has an error the whole import is refused — a half-imported list is
harder to repair than a corrected file.
"""

from __future__ import annotations

import base64
import binascii
from collections import Counter
from dataclasses import dataclass, field

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import undefer
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.quartiers import boundaries, csv_table
from konfliktmanagement.domain.quartiers.import_rules import (
    COLUMNS,
    REQUIRED,
    ImportKind,
    ImportRow,
    PlaceState,
    QuartierState,
    RowAction,
    SeenInFile,
    check_cells,
    plan_place,
    plan_quartier,
)
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.services import Service


@dataclass(slots=True)
class ImportPlan:
    kind: ImportKind
    columns: list[str]
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the file as a whole
    notices: list[str] = field(default_factory=list)
    source: str = ""

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) or any(row.errors for row in self.rows)

    @property
    def changes(self) -> list[ImportRow]:
        """The rows an import writes: new or changed ones (unchanged rows are left as stored)."""
        return [row for row in self.rows if row.action is not RowAction.UNCHANGED]

    @property
    def counts(self) -> dict[str, int]:
        tally = Counter(row.action.value if row.action else "fehler" for row in self.rows)
        return {key: tally.get(key, 0) for key in (*(a.value for a in RowAction), "fehler")}

    @property
    def pending(self) -> int:
        """Rows that would write something."""
        return sum(1 for row in self.rows if row.action in (RowAction.NEW, RowAction.CHANGED))

    @property
    def token(self) -> str:
        """The CSV text for the confirm form's hidden field; base64 keeps line breaks and quotes intact."""
        return base64.b64encode(self.source.encode("utf-8")).decode("ascii")


class ImportRefused(ValidationFailed):
    """The confirmed file cannot be imported (the master data changed since its preview): nothing is written,
    and the page shows the new preview with each row's reason."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__([FieldError("file", _("Die Datei kann so nicht importiert werden"))])
        self.plan = plan


class QuartierRepository(SQLAlchemyAsyncRepository[m.Quartier]):
    model_type = m.Quartier


class ImportService(Service[m.Quartier, QuartierRepository]):
    repository_type = QuartierRepository

    async def preview(self, kind: str, upload: bytes | None, pasted: str | None) -> ImportPlan:
        """What importing this file would do, row by row; writes nothing."""
        import_kind = _kind(kind)
        source_field, raw = ("file", upload) if upload else ("csv_text", pasted or "")
        if not raw or (isinstance(raw, str) and not raw.strip()):
            raise ValidationFailed([FieldError("file", _("Bitte eine CSV-Datei wählen oder den Inhalt einfügen."))])
        try:
            text = csv_table.decode(raw, _limit(import_kind))
        except csv_table.CsvRefused as exc:
            raise ValidationFailed([FieldError(source_field, str(exc))]) from exc
        return await self._plan(import_kind, text, source_field)

    async def apply(self, kind: str, token: str) -> ImportPlan:
        """Plan the confirmed text again and, if every row is valid, write all of it; otherwise `ImportRefused`."""
        import_kind = _kind(kind)
        try:
            text = csv_table.decode(base64.b64decode(token.encode("ascii"), validate=True), _limit(import_kind))
        except (binascii.Error, UnicodeEncodeError, ValueError) as exc:
            message = _("Die Vorschau ist unvollständig angekommen. Bitte die Datei erneut hochladen.")
            raise ValidationFailed([FieldError("file", message)]) from exc
        except csv_table.CsvRefused as exc:
            raise ValidationFailed([FieldError("file", str(exc))]) from exc
        plan = await self._plan(import_kind, text)
        if plan.has_errors:
            raise ImportRefused(plan)
        try:
            # A savepoint: if someone changed the same master data meanwhile, the page can still
            # tell the person so instead of failing on a broken transaction.
            async with self.session.begin_nested():
                if import_kind is ImportKind.QUARTIERS:
                    await self._apply_quartiers(plan)
                elif import_kind is ImportKind.PLACES:
                    await self._apply_places(plan)
                else:
                    await self._apply_boundaries(plan)
        except (IntegrityError, StaleDataError) as exc:
            message = _("Die Stammdaten wurden eben von jemand anderem geändert. Bitte die Vorschau neu erstellen.")
            raise ValidationFailed([FieldError("file", message)]) from exc
        return plan

    # -- planning -------------------------------------------------------------------------------

    async def _plan(self, kind: ImportKind, text: str, source_field: str = "file") -> ImportPlan:
        plan = ImportPlan(kind=kind, columns=list(COLUMNS[kind]), source=text)
        if kind is ImportKind.BOUNDARIES:
            return await self._plan_boundaries(plan, source_field)
        try:
            table = csv_table.read_table(text)
        except csv_table.CsvRefused as exc:
            plan.problems.append(str(exc))
            return plan
        missing = [c for c in plan.columns if c in REQUIRED[kind] and c not in table.header]
        if missing:
            plan.problems.append(
                _("Es fehlen Spalten: %(columns)s. Erwartet werden: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ", ".join(plan.columns)}
            )
        if duplicates := sorted({c for c in table.header if c and table.header.count(c) > 1}):
            plan.problems.append(_("Doppelte Spalten: %(columns)s.") % {"columns": ", ".join(duplicates)})
        if unknown := [c for c in table.header if c and c not in plan.columns]:
            plan.notices.append(_("Diese Spalten werden nicht gelesen: %(columns)s.") % {"columns": ", ".join(unknown)})
        if not table.rows:
            plan.problems.append(_("Die Datei enthält keine Datenzeilen unter der Kopfzeile."))
        if plan.problems:
            return plan
        positions = {column: table.header.index(column) for column in plan.columns if column in table.header}
        seen = SeenInFile()
        state = await (self._quartier_state() if kind is ImportKind.QUARTIERS else self._place_state())
        for csv_row in table.rows:
            values = {c: csv_row.cells[i] if i < len(csv_row.cells) else "" for c, i in positions.items()}
            row = ImportRow(line=csv_row.line, values=values)
            check_cells(row, kind, extra_cells=len(csv_row.cells) > len(table.header))
            if isinstance(state, QuartierState):
                plan_quartier(row, state, seen)
            else:
                plan_place(row, state, seen)
            plan.rows.append(row)
        return plan

    async def _plan_boundaries(self, plan: ImportPlan, source_field: str) -> ImportPlan:
        try:
            features = boundaries.read_features(plan.source)
        except boundaries.GeoJsonRefused as exc:
            raise ValidationFailed([FieldError(source_field, str(exc))]) from exc
        state = await self._boundary_state()
        seen: dict[str, int] = {}
        plan.rows = [boundaries.plan_boundary(feature, state, seen, plan.notices) for feature in features]
        return plan

    async def _boundary_state(self) -> boundaries.BoundaryState:
        session = self.session
        quartiers = {q.code: q for q in await session.scalars(select(m.Quartier).options(undefer(m.Quartier.boundary)))}
        codes = {q.id: q.code for q in quartiers.values()}
        located = await session.execute(
            select(m.Place.quartier_id, m.Place.name, m.Place.latitude, m.Place.longitude).where(
                m.Place.latitude.is_not(None), m.Place.longitude.is_not(None)
            )
        )
        places: dict[str, list[tuple[str, float, float]]] = {}
        for quartier_id, name, latitude, longitude in located:
            places.setdefault(codes[quartier_id], []).append((name, latitude, longitude))
        return boundaries.BoundaryState(quartiers=quartiers, places=places)

    async def _quartier_state(self) -> QuartierState:
        session = self.session
        districts = list(await session.scalars(select(m.Stadtbezirk)))
        quartiers = list(await session.scalars(select(m.Quartier)))
        return QuartierState(
            districts={d.code: d for d in districts},
            quartiers={q.code: q for q in quartiers},
            quartier_names={q.name: q.code for q in quartiers},
            district_names={d.name: d.code for d in districts},
        )

    async def _place_state(self) -> PlaceState:
        session = self.session
        return PlaceState(
            quartiers={q.code: q for q in await session.scalars(select(m.Quartier))},
            places={(p.quartier_id, p.name): p for p in await session.scalars(select(m.Place))},
        )

    # -- writing --------------------------------------------------------------------------------

    async def _apply_quartiers(self, plan: ImportPlan) -> None:
        session = self.session
        state = await self._quartier_state()
        for row in plan.changes:
            values = row.values
            district = state.districts.get(values["stadtbezirk_code"])
            if district is None:
                district = m.Stadtbezirk(code=values["stadtbezirk_code"], name=values["stadtbezirk_name"])
                session.add(district)
                await session.flush()  # the new quartier needs the district's id
                state.districts[district.code] = district
            elif values.get("stadtbezirk_name") and district.name != values["stadtbezirk_name"]:
                district.name = values["stadtbezirk_name"]
            quartier = state.quartiers.get(values["code"])
            if quartier is None:
                session.add(m.Quartier(code=values["code"], name=values["name"], stadtbezirk_id=district.id))
            else:
                quartier.name = values["name"]
                quartier.stadtbezirk_id = district.id

    async def _apply_places(self, plan: ImportPlan) -> None:
        session = self.session
        state = await self._place_state()
        for row in plan.changes:
            quartier = state.quartiers[row.values["quartier_code"]]
            latitude, longitude = row.coordinates or (None, None)
            place = state.places.get((quartier.id, row.values["name"]))
            if place is None:
                session.add(
                    m.Place(quartier_id=quartier.id, name=row.values["name"], latitude=latitude, longitude=longitude)
                )
            elif row.coordinates is not None:
                place.latitude, place.longitude = latitude, longitude

    async def _apply_boundaries(self, plan: ImportPlan) -> None:
        state = await self._boundary_state()
        for row in plan.changes:
            state.quartiers[row.values["code"]].boundary = row.boundary


def _limit(kind: ImportKind) -> int:
    return boundaries.MAX_BYTES if kind is ImportKind.BOUNDARIES else csv_table.MAX_BYTES


def _kind(value: str) -> ImportKind:
    try:
        return ImportKind(value)
    except ValueError:
        raise ValidationFailed([FieldError("kind", _("Bitte wählen, was importiert wird."))]) from None
