"""The signed-in user's personal API tokens (page)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, URLEncodedBody
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.domain.accounts.deps import SignedIn, Tokens, token_dependencies
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _


class TokenPageController(Controller):
    path = "/account/tokens"
    dependencies = token_dependencies

    @get("/", name="account_tokens")
    async def index(self, request: SignedIn, tokens: Tokens) -> Template:
        return Template(
            template_name="account/tokens.html",
            context={"tokens": await tokens.list_for(request.user), "new_token": None, "errors": {}},
        )

    @post("/")
    async def create(self, request: SignedIn, tokens: Tokens, data: URLEncodedBody[dict[str, Any]]) -> Template:
        errors: dict[str, str] = {}
        new_token = None
        try:
            _row, new_token = await tokens.issue(request.user, forms.text(data, "label"))
        except ValidationFailed as exc:
            errors = {error.field: error.message for error in exc.errors}
        # The token is shown in this one response only (no redirect: it must not sit in a session).
        return Template(
            template_name="account/tokens.html",
            context={"tokens": await tokens.list_for(request.user), "new_token": new_token, "errors": errors},
            status_code=422 if errors else 201,
            headers={"cache-control": "no-store"},
        )

    @post("/{token_id:uuid}/revoke")
    async def revoke(self, request: SignedIn, tokens: Tokens, token_id: FromPath[UUID]) -> Redirect:
        await tokens.revoke(request.user, token_id)
        flash(request, _("Token widerrufen."), category="success")
        return Redirect(path="/account/tokens", status_code=303)
