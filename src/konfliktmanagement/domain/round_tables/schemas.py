"""Input shapes for round tables and their members (DESIGN.md §2)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.lib.structs import Input

RoundTableName = Annotated[str, msgspec.Meta(min_length=1, max_length=160)]
Description = Annotated[str, msgspec.Meta(max_length=4000)]
Organisation = Annotated[str, msgspec.Meta(min_length=1, max_length=160)]


class RoundTableInput(Input):
    name: RoundTableName
    quartier_ids: Annotated[list[UUID], msgspec.Meta(max_length=100)] = msgspec.field(default_factory=list)
    description: Description | None = None


class MemberInput(Input):
    user_id: UUID
    organisation: Organisation


Lines = Annotated[str, msgspec.Meta(max_length=4000)]


class MeetingInput(Input):
    """A meeting as the coordinators' form sends it: agenda items and organisations one per line."""

    starts_at: Annotated[datetime, msgspec.Meta(tz=True)]
    place: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    agenda: Lines = ""
    organisations: Lines = ""
    minutes: Annotated[str, msgspec.Meta(max_length=20000)] = ""
    next_date: date | None = None
