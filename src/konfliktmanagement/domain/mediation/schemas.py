"""API shapes for mediation sessions (Sitzungen). Attendees appear by participation id, never by name."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.structs import Input, RecordOut, RecordPatch, from_row

# Timezone-aware only: the columns store UTC, and a naive time would be read in an unknown zone.
AwareDateTime = Annotated[datetime, msgspec.Meta(tz=True)]
Duration = Annotated[int, msgspec.Meta(ge=1, le=1440)]
Location = Annotated[str, msgspec.Meta(max_length=200)]
Minutes = Annotated[str, msgspec.Meta(max_length=20000)]
Phases = Annotated[list[m.MediationPhase], msgspec.Meta(max_length=len(m.MediationPhase))]
# A session has a handful of attendees; the bound keeps one request from asking for thousands of rows.
Ids = Annotated[list[UUID], msgspec.Meta(max_length=50)]


class SessionCreate(Input):
    """Plan a session (status `geplant`) or log one already held in one go (status `durchgefuehrt`)."""

    kind: m.SessionKind
    status: m.SessionStatus = m.SessionStatus.GEPLANT
    scheduled_at: AwareDateTime | None = None
    held_at: AwareDateTime | None = None
    duration_minutes: Duration | None = None
    place_id: UUID | None = None
    location: Location | None = None
    phases: Phases = msgspec.field(default_factory=list)
    minutes: Minutes | None = None
    participation_ids: Ids = msgspec.field(default_factory=list)
    mediator_ids: Ids = msgspec.field(default_factory=list)


class SessionUpdate(RecordPatch):
    kind: m.SessionKind | msgspec.UnsetType = msgspec.UNSET
    status: m.SessionStatus | msgspec.UnsetType = msgspec.UNSET
    scheduled_at: AwareDateTime | msgspec.UnsetType | None = msgspec.UNSET
    held_at: AwareDateTime | msgspec.UnsetType | None = msgspec.UNSET
    duration_minutes: Duration | msgspec.UnsetType | None = msgspec.UNSET
    place_id: UUID | msgspec.UnsetType | None = msgspec.UNSET
    location: Location | msgspec.UnsetType | None = msgspec.UNSET
    phases: Phases | msgspec.UnsetType = msgspec.UNSET
    minutes: Minutes | msgspec.UnsetType | None = msgspec.UNSET
    participation_ids: Ids | msgspec.UnsetType = msgspec.UNSET
    mediator_ids: Ids | msgspec.UnsetType = msgspec.UNSET


class SessionSummary(RecordOut):
    id: UUID
    case_id: UUID
    kind: m.SessionKind
    status: m.SessionStatus
    scheduled_at: datetime | None
    held_at: datetime | None
    duration_minutes: int | None
    place_id: UUID | None
    location: str | None
    phases: list[m.MediationPhase]
    participation_ids: list[UUID]
    mediator_ids: list[UUID]
    has_minutes: bool


# Keyword-only like the record fields, so the minutes follow `version` in the answer, as they always have.
class SessionDetail(SessionSummary, kw_only=True):
    minutes: str | None


def _derived(meeting: m.MediationSession) -> dict[str, object]:
    """The summary fields built from the session's rows, rather than read as they are."""
    return {
        "participation_ids": sorted(a.participation_id for a in meeting.attendances),
        "mediator_ids": sorted(link.user_id for link in meeting.mediator_links),
        "has_minutes": bool(meeting.minutes),
    }


def session_summary(meeting: m.MediationSession) -> SessionSummary:
    return from_row(meeting, SessionSummary, **_derived(meeting))


def session_detail(meeting: m.MediationSession) -> SessionDetail:
    return from_row(meeting, SessionDetail, **_derived(meeting))
