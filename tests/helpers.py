"""Test helpers that go through the real app: users via the service, sign-in via the real form."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from httpx import AsyncClient, Response
from litestar import Litestar
from pypdf import PdfReader
from sqlalchemy import Engine, event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.services import UserService

T = TypeVar("T")

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
    (user,) = await create_users(app, (email, roles, name or email.split("@")[0]), password=password)
    return user


async def create_users(
    app: Litestar, *people: tuple[str, Iterable[m.Role], str], password: str = DEFAULT_PASSWORD
) -> list[m.User]:
    """Users (e-mail, roles, name) through the service, in one transaction."""
    async with UserService.new(config=app.state["alchemy_config"]) as users:
        created = [
            await users.create_user(email=email, name=name, roles=[r.value for r in roles], password=password)
            for email, roles, name in people
        ]
        await users.repository.session.commit()
        return created


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


@dataclass
class CaseTeam:
    """A case in `eingegangen` with one assigned mediator, and signed-in clients for every kind of user."""

    case_id: str
    version: int
    coordinator: AsyncClient
    mediator: AsyncClient  # assigned to the case
    other_mediator: AsyncClient  # a mediator, not on this case
    round_table: AsyncClient
    admin: AsyncClient
    mediator_user: m.User
    coordinator_user: m.User
    quartier_id: str
    conflict_type_id: str


async def seed_master_data(app: Litestar) -> tuple[str, str]:
    """The seed quartiers and the migrated conflict types; returns (a quartier id, a conflict type id)."""
    from sqlalchemy import select

    from konfliktmanagement.domain.quartiers.services import ensure_seed_quartiers

    async with app.state["alchemy_config"].get_session() as session:
        await ensure_seed_quartiers(session)
        await session.commit()
        quartier = await session.scalar(select(m.Quartier).where(m.Quartier.code == "Q01"))
        conflict_type = await session.scalar(select(m.ConflictType).where(m.ConflictType.code == "laerm"))
        assert quartier is not None
        assert conflict_type is not None
        return str(quartier.id), str(conflict_type.id)


async def case_team(app: Litestar, make_client: Callable[[], AsyncClient], title: str = "Lärm am Platz") -> CaseTeam:
    quartier_id, conflict_type_id = await seed_master_data(app)
    coordinator_user, mediator_user, *_ = await create_users(
        app,
        ("koordination@example.org", [m.Role.COORDINATOR], "Kora Koordination"),
        ("mediation@example.org", [m.Role.MEDIATOR], "Mila Mediation"),
        ("andere@example.org", [m.Role.MEDIATOR], "Anton Anderer"),
        ("rundertisch@example.org", [m.Role.ROUND_TABLE_MEMBER], "Rita Runder Tisch"),
        ("admin@example.org", [m.Role.ADMIN], "Adam Admin"),
    )
    clients = {}
    for key, email in (
        ("coordinator", "koordination@example.org"),
        ("mediator", "mediation@example.org"),
        ("other_mediator", "andere@example.org"),
        ("round_table", "rundertisch@example.org"),
        ("admin", "admin@example.org"),
    ):
        clients[key] = make_client()
        await sign_in(clients[key], email)
    coordinator = clients["coordinator"]
    created = await coordinator.post(
        "/api/v1/cases",
        json={"title": title, "quartier_id": quartier_id, "conflict_type_id": conflict_type_id},
        headers=csrf_header(coordinator),
    )
    assert created.status_code == 201, created.text
    case = created.json()
    assigned = await coordinator.put(
        f"/api/v1/cases/{case['id']}/mediators",
        json={"version": case["version"], "mediator_ids": [str(mediator_user.id)]},
        headers=csrf_header(coordinator),
    )
    assert assigned.status_code == 200, assigned.text
    return CaseTeam(
        case_id=case["id"],
        version=assigned.json()["version"],
        mediator_user=mediator_user,
        coordinator_user=coordinator_user,
        quartier_id=quartier_id,
        conflict_type_id=conflict_type_id,
        **clients,
    )


async def api(client: AsyncClient, method: str, url: str, json: object | None = None) -> Response:
    """An API call from a signed-in browser session (cookie + CSRF header)."""
    headers = csrf_header(client) if method.upper() not in {"GET", "HEAD"} else {}
    return await client.request(method, url, json=json, headers=headers)


def split_own_input(response: Response) -> tuple[str, str]:
    """A stale (409) form page as (the page without it, the person's own input shown beside the stored values)."""
    found = re.search(r'<ul class="own-input">.*?</ul>', response.text, re.S)
    if found is None:
        return response.text, ""
    return response.text[: found.start()] + response.text[found.end() :], found.group(0)


def field_error(response: Response, name: str) -> str:
    """The error text a page shows next to the form field `name` (`<p id="f-NAME-error">`)."""
    marker = f'id="f-{name}-error">'
    assert marker in response.text, f"no error next to {name}"
    return html.unescape(response.text.split(marker, 1)[1].split("</p>", 1)[0])


async def row(app: Litestar, model: type[T], row_id: object) -> T | None:
    """A row as stored: read in a new session, so nothing cached by the request that wrote it."""
    async with app.state["alchemy_config"].get_session() as session:
        found: T | None = await session.get(model, UUID(str(row_id)))
        return found


async def row_count(app: Litestar, model: type[Any]) -> int:
    async with app.state["alchemy_config"].get_session() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


@contextmanager
def count_statements(engine: AsyncEngine | Engine) -> Iterator[list[str]]:
    """The SQL statements the engine sends while the block runs (for statement budgets):

    with count_statements(app.state["alchemy_config"].get_engine()) as statements:
        await client.get("/cases")
    assert len(statements) <= 6, statements
    """
    sync_engine = engine.sync_engine if isinstance(engine, AsyncEngine) else engine
    statements: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(sync_engine, "before_cursor_execute", record)


@dataclass(frozen=True)
class PdfFacts:
    """What a test checks of a PDF: each page's text, metadata, tagging and whether every font is embedded."""

    pages: list[str]
    title: str
    lang: str
    tagged: bool
    fonts: set[str]
    fonts_embedded: bool

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def pdf_facts(pdf: bytes) -> PdfFacts:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    fonts: set[str] = set()
    embedded = True
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]))
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            files = descriptor.get_object().keys() if descriptor is not None else set()
            embedded = embedded and bool({"/FontFile", "/FontFile2", "/FontFile3"} & set(files))
    return PdfFacts(
        pages=[page.extract_text() for page in reader.pages],
        title=str((reader.metadata or {}).get("/Title", "")),
        lang=str(root.get("/Lang", "")),
        tagged="/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked")),
        fonts=fonts,
        fonts_embedded=embedded and bool(fonts),
    )
