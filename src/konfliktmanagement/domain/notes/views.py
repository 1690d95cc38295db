"""What the note pages show, composed from the services and the access rules (no rules of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.access import CaseRole, may_coordinate, visible_note_tiers
from konfliktmanagement.domain.cases.services import CaseService
from konfliktmanagement.domain.notes.services import NoteService

# Most open last: the form lists the tiers from "only the mediators" to "may reach a report".
TIER_ORDER = (m.NoteTier.MEDIATOR_PRIVATE, m.NoteTier.CASE_TEAM, m.NoteTier.SHAREABLE)


def writable_tiers(role: CaseRole) -> list[m.NoteTier]:
    """The tiers to offer: a user writes exactly the tiers they may read (NoteService decides)."""
    visible = visible_note_tiers(role)
    return [tier for tier in TIER_ORDER if tier in visible]


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


async def new_note_page(cases: CaseService, user: m.User, case_id: UUID) -> NewNotePage:
    access = await cases.access(user, case_id)
    return NewNotePage(case=access.case, tiers=writable_tiers(access.role))


async def note_page(notes: NoteService, cases: CaseService, user: m.User, note_id: UUID) -> NotePage:
    # `detail` answers 404 for a note whose tier this user may not read, before anything is shown.
    note = await notes.detail(user, note_id)
    access = await cases.access(user, note.case_id)
    editable = access.case.status != m.CaseStatus.ARCHIVIERT
    return NotePage(
        note=note,
        case=access.case,
        tiers=writable_tiers(access.role),
        # Offered only where NoteService.approve would accept it: a coordinator, a shareable note not yet approved.
        may_approve=editable
        and may_coordinate(user)
        and note.tier == m.NoteTier.SHAREABLE
        and note.approved_at is None,
        editable=editable,
    )
