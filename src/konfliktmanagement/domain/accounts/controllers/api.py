"""`/api/v1`: who am I, and my personal API tokens."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.deps import SignedIn, Tokens, token_dependencies
from konfliktmanagement.domain.accounts.schemas import Me, TokenCreate, TokenInfo, TokenIssued


def _info(row: m.ApiToken) -> TokenInfo:
    return TokenInfo(
        id=row.id, label=row.label, hint=row.hint, created_at=row.created_at, last_used_at=row.last_used_at
    )


class AccountApiController(Controller):
    path = "/api/v1"
    dependencies = token_dependencies
    tags = ["Konto"]  # noqa: RUF012

    @get("/me")
    async def get_me(self, request: SignedIn) -> Me:
        user = request.user
        return Me(id=user.id, name=user.name, roles=sorted(role.value for role in user.roles))

    @get("/tokens")
    async def list_tokens(self, request: SignedIn, tokens: Tokens) -> list[TokenInfo]:
        return [_info(row) for row in await tokens.list_for(request.user)]

    @post("/tokens")
    async def create_token(self, request: SignedIn, tokens: Tokens, data: JSONBody[TokenCreate]) -> TokenIssued:
        row, token = await tokens.issue(request.user, data.label)
        return TokenIssued(**msgspec.structs.asdict(_info(row)), token=token)

    @delete("/tokens/{token_id:uuid}")
    async def revoke_token(self, request: SignedIn, tokens: Tokens, token_id: FromPath[UUID]) -> None:
        await tokens.revoke(request.user, token_id)
