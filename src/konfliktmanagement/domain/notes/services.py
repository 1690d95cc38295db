"""Case notes with confidentiality tiers (DESIGN.md §2, §4), and their approval for round-table reports.

A note whose tier the user may not see does not exist for that user: 404, and the attempt is
audited. Audit events name the note, its tiers and the changed fields — never the text.
"""

from __future__ import annotations

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.records import CaseRecord, TieredRecordService, add_record
from konfliktmanagement.domain.notes import schemas
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import Conflict, FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version

Tier = m.NoteTier


class NoteRepository(SQLAlchemyAsyncRepository[m.Note]):
    model_type = m.Note


class NoteService(TieredRecordService[m.Note, NoteRepository]):
    repository_type = NoteRepository
    list_order = (m.Note.created_at.desc(),)

    def visible(self, access: CaseAccess) -> ColumnElement[bool]:
        return m.Note.tier.in_([t.value for t in access.note_tiers])

    async def write(self, access: CaseAccess, data: schemas.NoteCreate) -> m.Note:
        self._require_writer(access, data.tier, "note:create")
        note = m.Note(case_id=access.case_id, author_id=access.user.id, tier=data.tier.value, body=_body(data.body))
        return await add_record(
            self.session,
            access,
            note,
            event="note_created",
            details=lambda saved: {"note_id": str(saved.id), "tier": saved.tier},
        )

    async def revise(self, found: CaseRecord[m.Note], data: schemas.NoteUpdate) -> m.Note:
        """Text and tier; not `revise_record`: a tier change and a cleared approval are events of their own."""
        session = self.session
        access, note = found
        source = Tier(note.tier)
        target = source if data.tier is msgspec.UNSET else data.tier
        self._require_writer(access, source, "note:update")
        self._require_writer(access, target, "note:update")
        ensure_version(note, data.version)
        body = note.body if data.body is msgspec.UNSET else _body(data.body)
        fields = ["body"] if body != note.body else []
        if not fields and target is source:
            return note
        note.body, note.tier = body, target.value
        # An approval covers the text and tier the coordinator saw; any change needs a new look.
        approval_cleared = note.approved_at is not None
        note.approved_at = note.approved_by_id = None
        note.updated_at = now()
        await session.flush()
        events: list[tuple[str, dict[str, object]]] = []
        if fields:
            events.append(("note_updated", {"note_id": str(note.id), "fields": fields}))
        if target is not source:
            events.append(
                ("note_tier_changed", {"note_id": str(note.id), "from_tier": source.value, "to_tier": target.value})
            )
        if approval_cleared:
            events.append(("note_approval_cleared", {"note_id": str(note.id)}))
        for action, details in events:
            await append_event(session, case_id=note.case_id, actor_id=access.user.id, action=action, details=details)
        return note

    async def approve(self, found: CaseRecord[m.Note], data: schemas.NoteApproval) -> m.Note:
        """A coordinator releases a shareable note for round-table reports (DESIGN.md §6)."""
        session = self.session
        access, note = found
        user = access.user
        if not access.may_coordinate:
            raise deny(session, access, "note:approve", _("Nur die Koordination gibt Notizen frei."))
        ensure_version(note, data.version)
        if note.tier != Tier.SHAREABLE:
            raise Conflict(_("Nur teilbare Notizen können für Berichte freigegeben werden."), extra={"field": "tier"})
        if note.approved_at is not None:
            return note
        note.approved_at, note.approved_by_id = now(), user.id
        note.updated_at = note.approved_at
        await session.flush()
        await append_event(
            session, case_id=note.case_id, actor_id=user.id, action="note_approved", details={"note_id": str(note.id)}
        )
        return note

    def _require_writer(self, access: CaseAccess, tier: Tier, attempted: str) -> None:
        if not access.may_write_note(tier):
            raise deny(
                self.session,
                access,
                attempted,
                _("Vertrauliche Notizen schreiben nur die Mediator:innen des Falls."),
            )


def _body(text: str) -> str:
    body = text.strip()
    if not body:
        raise ValidationFailed([FieldError("body", _("Die Notiz ist leer."))])
    return body
