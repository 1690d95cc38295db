"""Meetings of a round table (issue 14): coordinators plan them, write and approve the minutes.

Attendance is recorded by organisation, never by person. Approved minutes are frozen: the meeting
can no longer be changed. Members see their round table's meetings (`meeting_pages.py`).
"""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.round_tables import schemas
from konfliktmanagement.domain.round_tables.queries import RoundTableQuery
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, FieldError, StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version, required_text
from konfliktmanagement.lib.services import Service

MAX_ITEMS = 40


def _lines(errors: list[FieldError], field: str, text: str) -> list[str]:
    items = [line.strip() for line in text.splitlines() if line.strip()]
    if len(items) > MAX_ITEMS:
        errors.append(FieldError(field, _("Höchstens %(n)d Einträge.") % {"n": MAX_ITEMS}))
    return list(dict.fromkeys(items))  # each once, in the order given


class MeetingRepository(SQLAlchemyAsyncRepository[m.RoundTableMeeting]):
    model_type = m.RoundTableMeeting


class MeetingService(Service[m.RoundTableMeeting, MeetingRepository]):
    repository_type = MeetingRepository

    async def plan(self, actor: Principal, round_table_id: UUID, data: schemas.MeetingInput) -> m.RoundTableMeeting:
        table = await RoundTableQuery(self.session).table(round_table_id)
        meeting = m.RoundTableMeeting(round_table_id=table.id, created_by_id=actor.id)
        self._apply(meeting, data)
        await self._write(meeting)
        return meeting

    async def revise(
        self, round_table_id: UUID, meeting_id: UUID, version: int, data: schemas.MeetingInput
    ) -> m.RoundTableMeeting:
        meeting = await RoundTableQuery(self.session).meeting(round_table_id, meeting_id)
        _still_open(meeting)
        ensure_version(meeting, version)
        self._apply(meeting, data)
        await self._write(meeting)
        return meeting

    async def approve_minutes(
        self, actor: Principal, round_table_id: UUID, meeting_id: UUID, version: int
    ) -> m.RoundTableMeeting:
        meeting = await RoundTableQuery(self.session).meeting(round_table_id, meeting_id)
        _still_open(meeting)
        ensure_version(meeting, version)
        if not meeting.minutes.strip():
            raise Conflict(
                _("Bitte zuerst das Protokoll schreiben; ein leeres Protokoll kann nicht freigegeben werden.")
            )
        if meeting.starts_at > clock.now():
            raise Conflict(_("Das Protokoll einer Sitzung kann erst nach ihrem Beginn freigegeben werden."))
        meeting.minutes_state = m.MinutesState.FREIGEGEBEN.value
        meeting.minutes_approved_by_id = actor.id
        meeting.minutes_approved_at = clock.now()
        await self._write(meeting)
        return meeting

    def _apply(self, meeting: m.RoundTableMeeting, data: schemas.MeetingInput) -> None:
        errors: list[FieldError] = []
        place = required_text(errors, "place", data.place)
        agenda = _lines(errors, "agenda", data.agenda)
        organisations = _lines(errors, "organisations", data.organisations)
        if data.next_date is not None and data.next_date <= data.starts_at.astimezone(clock.BERLIN).date():
            errors.append(FieldError("next_date", _("Der nächste Termin liegt nach dieser Sitzung.")))
        if errors:
            raise ValidationFailed(errors)
        meeting.starts_at = data.starts_at
        meeting.place = place
        meeting.agenda = agenda
        meeting.organisations = organisations
        meeting.minutes = data.minutes.strip()
        meeting.next_date = data.next_date
        meeting.updated_at = clock.now()

    async def _write(self, meeting: m.RoundTableMeeting) -> None:
        try:
            async with self.session.begin_nested():
                self.session.add(meeting)
        except StaleDataError as exc:
            current = await self.session.scalar(
                select(m.RoundTableMeeting.version).where(m.RoundTableMeeting.id == meeting.id)
            )
            raise StaleVersion(current or 0) from exc


def _still_open(meeting: m.RoundTableMeeting) -> None:
    if meeting.minutes_state == m.MinutesState.FREIGEGEBEN.value:
        raise Conflict(_("Das Protokoll dieser Sitzung ist freigegeben; die Sitzung kann nicht mehr geändert werden."))
