"""The case page's timeline: audit events and sessions in one list, newest first, in German.

Events carry ids, field names and status values only (never note text or contact data), and this
module shows even less: what happened, when, by whom (staff names), and a transition's reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.labels import label, label_of
from konfliktmanagement.lib.i18n import N_, gettext

EVENT_LABELS = {
    "created": N_("Fall angelegt"),
    "updated": N_("Falldaten geändert"),
    "mediators_assigned": N_("Mediator:innen zugewiesen"),
    "transition": N_("Statuswechsel"),
    "participation_added": N_("Partei hinzugefügt"),
    "participation_updated": N_("Beteiligung geändert"),
    "consent_recorded": N_("Einwilligung erfasst"),
    "party_updated": N_("Angaben einer Partei geändert"),
    "session_created": N_("Sitzung angelegt"),
    "session_updated": N_("Sitzung geändert"),
    "note_created": N_("Notiz angelegt"),
    "note_updated": N_("Notiz geändert"),
    "note_tier_changed": N_("Vertraulichkeit einer Notiz geändert"),
    "note_approval_cleared": N_("Freigabe einer Notiz aufgehoben"),
    "note_approved": N_("Notiz für Berichte freigegeben"),
    "agreement_created": N_("Vereinbarung angelegt"),
    "agreement_updated": N_("Vereinbarung geändert"),
    "agreement_item_added": N_("Vereinbarungspunkt hinzugefügt"),
    "agreement_item_updated": N_("Vereinbarungspunkt geändert"),
    "administration_request_created": N_("Anliegen an die Verwaltung angelegt"),
    "administration_request_updated": N_("Anliegen an die Verwaltung geändert"),
}
OTHER_EVENT = N_("Änderung am Fall")
# Refused attempts stay in the audit trail (`/api/v1/cases/{id}/events`); they are not case work.
HIDDEN_ACTIONS = frozenset({"denied"})


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    title: str
    detail: str | None = None  # a transition's reason, an outcome
    actor: str | None = None
    override: bool = False
    session: m.MediationSession | None = None


async def case_events(session: AsyncSession, case_id: UUID) -> list[tuple[m.CaseEvent, str | None]]:
    """The case's audit events in order, each with its actor's name (staff), in one statement."""
    rows = await session.execute(
        select(m.CaseEvent, m.User.name)
        .outerjoin(m.User, m.User.id == m.CaseEvent.actor_id)
        .where(m.CaseEvent.case_id == case_id)
        .order_by(m.CaseEvent.seq)
    )
    return [(event, name) for event, name in rows.tuples()]


def timeline(
    events: list[tuple[m.CaseEvent, str | None]], sessions: list[m.MediationSession], notes: list[m.Note]
) -> list[TimelineEntry]:
    visible_notes = {str(n.id) for n in notes}
    entries = [
        _event_entry(event, name)
        for event, name in events
        if event.action not in HIDDEN_ACTIONS and _note_visible(event.details, visible_notes)
    ]
    entries += [_session_entry(s) for s in sessions]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _note_visible(details: dict[str, Any], visible_notes: set[str]) -> bool:
    """Work on notes the user may not read (mediator-private ones, for coordinators) stays out of sight."""
    note_id = details.get("note_id") if isinstance(details, dict) else None
    return note_id is None or note_id in visible_notes


def _event_entry(event: m.CaseEvent, actor: str | None) -> TimelineEntry:
    details = event.details if isinstance(event.details, dict) else {}
    title = gettext(EVENT_LABELS.get(event.action, OTHER_EVENT))
    detail = None
    if event.action == "transition":
        title = gettext("Status: %(source)s → %(target)s") % {
            "source": label_of(m.CaseStatus, event.from_status),
            "target": label_of(m.CaseStatus, event.to_status),
        }
        parts = []
        if outcome := details.get("outcome"):
            parts.append(gettext("Ergebnis: %(outcome)s") % {"outcome": label_of(m.Outcome, str(outcome))})
        if event.reason:
            parts.append(gettext("Begründung: %(reason)s") % {"reason": event.reason})
        detail = " · ".join(parts) or None
    return TimelineEntry(
        at=event.occurred_at,
        title=title,
        detail=detail,
        actor=actor,
        override=bool(details.get("override")),
    )


def _session_entry(meeting: m.MediationSession) -> TimelineEntry:
    when = meeting.held_at or meeting.scheduled_at or meeting.created_at
    title = gettext("Sitzung: %(kind)s (%(status)s)") % {
        "kind": label(m.SessionKind(meeting.kind)),
        "status": label(m.SessionStatus(meeting.status)),
    }
    return TimelineEntry(at=when, title=title, session=meeting)
