"""What the note pages show: read models over `NoteService` and the case's access object."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.notes.services import NoteService

# Most open last: the form lists the tiers from "only the mediators" to "may reach a report".
TIER_ORDER = (m.NoteTier.MEDIATOR_PRIVATE, m.NoteTier.CASE_TEAM, m.NoteTier.SHAREABLE)


def writable_tiers(access: CaseAccess) -> list[m.NoteTier]:
    """The tiers to offer: exactly those the access rules let this user write."""
    return [tier for tier in TIER_ORDER if access.may_write_note(tier)]


@dataclass(frozen=True, slots=True)
class NewNotePage:
    case: m.Case
    tiers: list[m.NoteTier]


@dataclass(frozen=True, slots=True)
class NotePage:
    note: m.Note
    case: m.Case
    tiers: list[m.NoteTier]
    may_approve: bool
    editable: bool

    @property
    def values(self) -> dict[str, str]:
        return {"version": str(self.note.version), "tier": self.note.tier, "body": self.note.body}


class NotePageQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.notes = NoteService(session=db_session)

    @staticmethod
    def new_note(access: CaseAccess) -> NewNotePage:
        return NewNotePage(case=access.case, tiers=writable_tiers(access))

    async def note(self, user: Principal, note_id: UUID) -> NotePage:
        # 404 for a note whose tier this user may not read, before anything is shown.
        access, note = await self.notes.find(user, note_id, attempted="note:read")
        editable = not access.is_closed
        return NotePage(
            note=note,
            case=access.case,
            tiers=writable_tiers(access),
            # Offered only where NoteService.approve would accept it: a coordinator, a shareable note not yet approved.
            may_approve=editable
            and access.may_coordinate
            and note.tier == m.NoteTier.SHAREABLE
            and note.approved_at is None,
            editable=editable,
        )
