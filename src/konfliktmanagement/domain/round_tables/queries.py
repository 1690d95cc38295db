"""Read models of round tables and their reports, for the pages (`RoundTableQuery`, by DI).

What a person may see is decided in `access.py`; a round table or report they may not see answers
404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.outbox.services import OutboxStatus, status_of
from konfliktmanagement.domain.round_tables.access import may_manage, may_read_report, sits_at
from konfliktmanagement.lib.exceptions import NotFound

Owned = TypeVar("Owned", m.RoundTableMeeting, m.RoundTableReport)
LOADED = (
    selectinload(m.RoundTable.quartiers).selectinload(m.Quartier.stadtbezirk),
    selectinload(m.RoundTable.members).selectinload(m.RoundTableMember.user),
)


def dedupe_key(report_id: UUID, user_id: UUID) -> str:
    """The outbox key of one member's copy of a report: sending twice never mails twice."""
    return f"report:{report_id}:{user_id}"


class RoundTableQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    # -- round tables ---------------------------------------------------------------------------

    async def table(self, round_table_id: UUID) -> m.RoundTable:
        query = select(m.RoundTable).where(m.RoundTable.id == round_table_id).options(*LOADED)
        table = await self.session.scalar(query)
        if table is None:
            raise NotFound
        return table

    async def tables(self) -> Sequence[m.RoundTable]:
        return (await self.session.scalars(select(m.RoundTable).options(*LOADED).order_by(m.RoundTable.name))).all()

    async def member_tables(self, user: Principal) -> Sequence[m.RoundTable]:
        """The round tables this user sits at — and no others (DESIGN.md §4)."""
        query = (
            select(m.RoundTable)
            .join(m.RoundTableMember, m.RoundTableMember.round_table_id == m.RoundTable.id)
            .where(m.RoundTableMember.user_id == user.id)
            .options(*LOADED)
            .order_by(m.RoundTable.name)
        )
        return (await self.session.scalars(query)).unique().all()

    async def member_table(self, user: Principal, round_table_id: UUID) -> m.RoundTable:
        """One of the user's round tables; any other answers 404."""
        table = await self.table(round_table_id)
        if not sits_at(user, table):
            raise NotFound
        return table

    async def quartier_choices(self) -> list[tuple[str, str]]:
        rows = await self.session.scalars(select(m.Quartier).order_by(m.Quartier.code))
        return [(str(q.id), f"{q.code} – {q.name}") for q in rows]

    async def eligible_members(self, table: m.RoundTable | None = None) -> Sequence[m.User]:
        """Active users with the round-table role who are not yet at this round table."""
        query = (
            select(m.User)
            .join(m.UserRole, m.UserRole.user_id == m.User.id)
            .where(m.UserRole.role == m.Role.ROUND_TABLE_MEMBER.value, m.User.is_active.is_(True))
        )
        if table is not None:
            query = query.where(m.User.id.not_in([member.user_id for member in table.members]))
        users = (await self.session.scalars(query)).unique().all()
        return sorted(users, key=lambda user: (user.name.casefold(), user.email))

    # -- meetings -------------------------------------------------------------------------------

    async def visible_table(self, user: Principal, round_table_id: UUID) -> m.RoundTable:
        """A round table the user coordinates or sits at; any other answers 404."""
        return await (self.table(round_table_id) if may_manage(user) else self.member_table(user, round_table_id))

    async def meetings_of(self, round_table_id: UUID) -> Sequence[m.RoundTableMeeting]:
        query = select(m.RoundTableMeeting).where(m.RoundTableMeeting.round_table_id == round_table_id)
        return (await self.session.scalars(query.order_by(m.RoundTableMeeting.starts_at.desc()))).all()

    async def meeting(self, round_table_id: UUID, meeting_id: UUID) -> m.RoundTableMeeting:
        return await self._of_table(m.RoundTableMeeting, round_table_id, meeting_id)

    async def previous_meeting(self, meeting: m.RoundTableMeeting) -> m.RoundTableMeeting | None:
        previous: m.RoundTableMeeting | None = await self.session.scalar(
            select(m.RoundTableMeeting)
            .where(
                m.RoundTableMeeting.round_table_id == meeting.round_table_id,
                m.RoundTableMeeting.starts_at < meeting.starts_at,
            )
            .order_by(m.RoundTableMeeting.starts_at.desc())
            .limit(1)
        )
        return previous

    # -- reports --------------------------------------------------------------------------------

    async def reports_of(self, round_table_id: UUID) -> Sequence[m.RoundTableReport]:
        query = select(m.RoundTableReport).where(m.RoundTableReport.round_table_id == round_table_id)
        return (await self.session.scalars(query.order_by(m.RoundTableReport.period.desc()))).all()

    async def report(
        self, user: Principal, round_table_id: UUID, report_id: UUID
    ) -> tuple[m.RoundTable, m.RoundTableReport]:
        """A report the user may read (see `access.may_read_report`), else 404."""
        report = await self._of_table(m.RoundTableReport, round_table_id, report_id)
        table = await self.table(round_table_id)
        if not may_read_report(user, table, report):
            raise NotFound
        return table, report

    async def report_of_meeting(self, meeting_id: UUID) -> m.RoundTableReport | None:
        report: m.RoundTableReport | None = await self.session.scalar(
            select(m.RoundTableReport).where(m.RoundTableReport.meeting_id == meeting_id)
        )
        return report

    async def _of_table(self, model: type[Owned], round_table_id: UUID, record_id: UUID) -> Owned:
        """A record of this round table, freshly read (a meeting or a report), else 404."""
        record = await self.session.scalar(
            select(model)
            .where(model.id == record_id, model.round_table_id == round_table_id)
            .execution_options(populate_existing=True)
        )
        if record is None:
            raise NotFound
        return record

    async def sent_reports(self, user: Principal) -> list[tuple[m.RoundTableReport, str]]:
        """The sent reports of the user's round tables, newest period first, with the round table's name."""
        rows = await self.session.execute(
            select(m.RoundTableReport, m.RoundTable.name)
            .join(m.RoundTable, m.RoundTable.id == m.RoundTableReport.round_table_id)
            .join(m.RoundTableMember, m.RoundTableMember.round_table_id == m.RoundTable.id)
            .where(m.RoundTableMember.user_id == user.id, m.RoundTableReport.state == m.ReportState.VERSENDET.value)
            .order_by(m.RoundTableReport.period.desc(), m.RoundTable.name)
        )
        return [(report, name) for report, name in rows.all()]

    async def delivery(
        self, table: m.RoundTable, report: m.RoundTableReport
    ) -> list[tuple[m.RoundTableMember, OutboxStatus | None]]:
        """Each member's message state, for the coordinator (no addresses, no content)."""
        return [
            (member, await status_of(self.session, dedupe_key(report.id, member.user_id))) for member in table.members
        ]
