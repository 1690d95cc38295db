"""Publishing the statistics catalogue: computed once per period from one snapshot, then frozen.

`publish(period)` counts every table of the catalogue inside one transaction (REPEATABLE READ on
PostgreSQL, so all tables see the same snapshot; SQLite's transactions are serialised anyway),
perturbs and applies the publication rules, and stores only what may be shown. Publishing a table
and period that exist already is refused (`Conflict`), and the unique index refuses it again in the
database should two publications race. Everything that reads statistics reads stored publications
that are not withdrawn (`LIVE`).

Only a period that has begun is published: a past year as final, the current year only as
provisional ("vorläufig") and with the publisher's explicit confirmation. `withdraw(period, reason)`
takes a publication back: its rows stay, marked with who withdrew it, when and why, and the period
can be published again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cached_property
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.statistics import catalogue as c
from konfliktmanagement.domain.statistics.ckm import PTable, load_ptable
from konfliktmanagement.domain.statistics.counting import count_cells
from konfliktmanagement.domain.statistics.grid import CodeList, PublishedValue, publish_cells
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, FieldError, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.services import Service

PERIOD = re.compile(r"^(19|20|21)\d\d$")
SNAPSHOT_LEVELS = {"repeatable read", "serializable"}
# The condition every reader of publications applies: withdrawn ones are shown nowhere.
LIVE = m.StatisticsPublication.withdrawn_at.is_(None)


def check_period(period: str) -> int:
    if not PERIOD.match(period):
        raise ValidationFailed([FieldError("period", "Der Zeitraum ist ein Jahr, z. B. 2026.")])
    return int(period)


def check_publishable(period: str, *, provisional: bool) -> bool:
    """Whether the period's publication is provisional: refused for a year that has not begun, and
    for the current year unless the publisher confirmed that it is provisional."""
    year, current = check_period(period), clock.today().year
    if year > current:
        message = _("Veröffentlicht werden kann nur ein Jahr, das schon begonnen hat (bis %(year)s).")
        raise ValidationFailed([FieldError("period", message % {"year": current})])
    if year == current and not provisional:
        message = _(
            "Das laufende Jahr ist noch nicht abgeschlossen: bitte bestätigen, dass es vorläufig veröffentlicht wird."
        )
        raise ValidationFailed([FieldError("provisional", message)])
    return year == current


async def load_code_lists(session: AsyncSession) -> dict[str, CodeList]:
    """The dimension values every grid is built from (master data as it is at the snapshot)."""
    unknown = [(c.UNKNOWN, "Ohne Angabe")]
    quartiers = (await session.execute(select(m.Quartier.code, m.Quartier.name).order_by(m.Quartier.code))).all()
    districts = (
        await session.execute(select(m.Stadtbezirk.code, m.Stadtbezirk.name).order_by(m.Stadtbezirk.code))
    ).all()
    types = (
        await session.execute(
            select(m.ConflictType.code, m.ConflictType.label).order_by(m.ConflictType.sort_order, m.ConflictType.code)
        )
    ).all()
    places = (
        await session.execute(
            select(m.Quartier.code, m.Quartier.name, m.Place.name)
            .join(m.Quartier, m.Quartier.id == m.Place.quartier_id)
            .order_by(m.Quartier.code, m.Place.name)
        )
    ).all()
    return {
        "quartier": [(code, name) for code, name in quartiers] + unknown,
        "ort": [(f"{code}{c.PLACE_SEPARATOR}{place}", f"{place} ({quartier})") for code, quartier, place in places]
        + unknown,
        "statusgruppe": [(code, label) for code, label, _ in c.STATUS_GROUPS] + unknown,
        "punktstatus": list(c.ITEM_STATUSES) + unknown,
        "anliegenstatus": list(c.REQUEST_STATUSES) + unknown,
        "stadtbezirk": [(code, name) for code, name in districts] + unknown,
        "konfliktart": [(code, label) for code, label in types] + unknown,
        "konfliktgruppe": [(code, label) for code, label, _ in c.CONFLICT_TYPE_GROUPS] + unknown,
        "ergebnis": list(c.RESULTS),
        "quartal": list(c.QUARTERS),
        "dauer": list(c.DURATION_BANDS),
        "sitzungen": list(c.SESSION_BANDS),
        "nachbetreuung": list(c.FOLLOW_UP_RESULTS),
    }


async def compute_table(
    session: AsyncSession, spec: c.TableSpec, year: int, code_lists: dict[str, CodeList], ptable: PTable
) -> list[PublishedValue]:
    """One table's published cells: one SQL statement, then perturbation and rules in Python."""
    return publish_cells(spec, code_lists, await count_cells(session, spec, year), ptable)


class StatisticsPublicationRepository(SQLAlchemyAsyncRepository[m.StatisticsPublication]):
    model_type = m.StatisticsPublication


class StatisticsService(Service[m.StatisticsPublication, StatisticsPublicationRepository]):
    repository_type = StatisticsPublicationRepository

    @cached_property
    def ptable(self) -> PTable:
        return load_ptable()

    async def _begin_snapshot(self) -> None:
        if self.session.get_bind().dialect.name != "postgresql":
            return
        if not self.session.in_transaction():
            await self.session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            return
        level = await self.session.scalar(text("SHOW transaction_isolation"))
        if level not in SNAPSHOT_LEVELS:
            msg = "publishing needs a session whose transaction starts here (REPEATABLE READ)"
            raise RuntimeError(msg)

    async def publish(
        self, period: str, *, user_id: UUID | None = None, provisional: bool = False
    ) -> list[m.StatisticsPublication]:
        """Compute and store the whole catalogue for `period`; the caller commits.

        `provisional` is the publisher's confirmation, needed for the current year (and meaningless
        for a past one). On PostgreSQL the transaction must begin here (see `_begin_snapshot`): a
        request ends its sign-in reads first with the route option `server.transactions.fresh_transaction`.
        """
        provisional = check_publishable(period, provisional=provisional)
        year = int(period)
        await self._begin_snapshot()
        existing = list(
            await self.session.scalars(
                select(m.StatisticsPublication.table_code).where(m.StatisticsPublication.period == period, LIVE)
            )
        )
        if existing:
            message = (
                f"Die Statistik für {period} ist bereits veröffentlicht ({', '.join(sorted(existing))}); "
                "eine Veröffentlichung wird nicht verändert."
            )
            raise Conflict(
                message, extra={"period": period, "tables": sorted(existing)}, errors=[FieldError("period", message)]
            )
        snapshot_at = datetime.now(UTC)
        code_lists = await load_code_lists(self.session)
        publications = []
        for spec in c.CATALOGUE:
            cells = await compute_table(self.session, spec, year, code_lists, self.ptable)
            publication = m.StatisticsPublication(
                table_code=spec.code,
                period=period,
                title=spec.title,
                dimensions=[{"code": d.code, "label": d.label} for d in spec.dimensions],
                note=c.note_for(spec),
                sensitive=spec.sensitive,
                ptable_sha256=self.ptable.sha256,
                snapshot_at=snapshot_at,
                created_by_id=user_id,
                provisional=provisional,
            )
            publication.cells = [
                m.PublishedCell(
                    position=position,
                    dimension_values=dict(zip((d.code for d in spec.dimensions), cell.values, strict=True)),
                    dimension_labels=dict(zip((d.code for d in spec.dimensions), cell.labels, strict=True)),
                    value=cell.value,
                    display=cell.display,
                    state=cell.state,
                )
                for position, cell in enumerate(cells)
            ]
            publications.append(publication)
        try:
            # A savepoint: when a concurrent publication wins, the request can still show its form.
            async with self.session.begin_nested():
                self.session.add_all(publications)
        except IntegrityError as exc:
            message = f"Die Statistik für {period} ist inzwischen veröffentlicht worden."
            raise Conflict(message, errors=[FieldError("period", message)]) from exc
        return publications

    async def withdraw(self, period: str, reason: str, *, user_id: UUID | None) -> list[m.StatisticsPublication]:
        """Take the period's publication back: every table is marked withdrawn (kept for the audit)."""
        reason = reason.strip()
        if not reason:
            raise ValidationFailed([FieldError("reason", _("Bitte einen Grund für die Rücknahme angeben."))])
        publications = list(
            await self.session.scalars(
                select(m.StatisticsPublication).where(m.StatisticsPublication.period == period, LIVE)
            )
        )
        if not publications:
            raise NotFound(_("Für diesen Zeitraum ist keine Statistik veröffentlicht."))
        withdrawn_at = clock.now()
        for publication in publications:
            publication.withdrawn_at = withdrawn_at
            publication.withdrawn_by_id = user_id
            publication.withdrawal_reason = reason
        await self.session.flush()
        return publications
