"""Input shapes for round tables and their members (DESIGN.md §2)."""

from __future__ import annotations

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
