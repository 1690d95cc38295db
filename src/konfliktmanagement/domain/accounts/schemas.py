from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from konfliktmanagement.lib.structs import Input


class Me(msgspec.Struct):
    id: UUID
    name: str
    roles: list[str]


class TokenCreate(Input):
    label: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class TokenInfo(msgspec.Struct):
    id: UUID
    label: str
    hint: str
    created_at: datetime
    last_used_at: datetime | None


class TokenIssued(TokenInfo):
    token: str
