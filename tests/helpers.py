"""Test helpers that go through the real app: users via the service, sign-in via the real form."""

from __future__ import annotations

import re
from collections.abc import Iterable

from httpx import AsyncClient, Response
from litestar import Litestar

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.services import UserService

DEFAULT_PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def create_user(
    app: Litestar,
    email: str,
    roles: Iterable[m.Role] = (m.Role.MEDIATOR,),
    *,
    name: str | None = None,
    password: str = DEFAULT_PASSWORD,
) -> m.User:
    async with UserService.new(config=app.state["alchemy_config"]) as users:
        user = await users.create_user(
            email=email, name=name or email.split("@")[0], roles=[r.value for r in roles], password=password
        )
        await users.repository.session.commit()
        return user


def csrf_from(page: Response) -> str:
    match = CSRF_INPUT.search(page.text)
    assert match, "page has no CSRF field"
    return match.group(1)


async def form_post(client: AsyncClient, page_url: str, action: str, data: dict[str, object]) -> Response:
    """Like a browser: load the page with the form, then submit it with the page's CSRF token."""
    page = await client.get(page_url)
    return await client.post(action, data={**data, "_csrf_token": csrf_from(page)})


async def sign_in(client: AsyncClient, email: str, password: str = DEFAULT_PASSWORD) -> Response:
    response = await form_post(client, "/login", "/login", {"email": email, "password": password})
    assert response.status_code == 303, response.text
    return response


def csrf_header(client: AsyncClient) -> dict[str, str]:
    token = client.cookies.get("km_csrf")
    assert token, "no CSRF cookie yet; GET a page first"
    return {"x-csrftoken": token}
