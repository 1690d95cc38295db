"""Accounts people manage themselves: invitations, "Passwort vergessen", a forced change after an admin's
reset, the settings page. The e-mails are read from the outbox here; tests/e2e/test_account_links.py
receives them over SMTP and clicks the links in a browser."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from httpx import AsyncClient, Response
from litestar import Litestar
from sqlalchemy import select
from structlog.testing import capture_logs

from konfliktmanagement.db import models as m
from konfliktmanagement.lib import clock
from tests.helpers import DEFAULT_PASSWORD, create_user, csrf_from, form_post, row, sign_in

pytestmark = pytest.mark.anyio

NEW_PASSWORD = "a brand new passphrase 7"
LINK = re.compile(r"https?://\S+/login/set-password\?token=[\w-]+")


class MovableClock:
    def __init__(self) -> None:
        self.at = clock.now()

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def moved(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    now = MovableClock()
    monkeypatch.setattr(clock, "now", now)
    return now


async def _mails(app: Litestar) -> list[m.OutboxMessage]:
    async with app.state["alchemy_config"].get_session() as session:
        return list(await session.scalars(select(m.OutboxMessage).order_by(m.OutboxMessage.created_at)))


def _link_path(message: m.OutboxMessage) -> str:
    found = LINK.search(message.body_text)
    assert found, message.body_text
    parts = urlsplit(found.group(0))
    return f"{parts.path}?{parts.query}"


async def _set_password(client: AsyncClient, link: str, password: str, repeat: str | None = None) -> Response:
    page = await client.get(link)
    token = link.split("token=", 1)[1]
    data = {"token": token, "password": password, "password_repeat": password if repeat is None else repeat}
    return await client.post("/login/set-password", data={**data, "_csrf_token": csrf_from(page)})


async def _forgot(client: AsyncClient, email: str) -> Response:
    return await form_post(client, "/login/forgot", "/login/forgot", {"email": email})


async def test_an_invitation_sets_the_password_once_and_the_person_signs_in(
    app: Litestar, client: AsyncClient, make_client: Callable[[], AsyncClient], moved: MovableClock
) -> None:
    await create_user(app, "admin@example.org", [m.Role.ADMIN], name="Ada Admin")
    admin = make_client()
    await sign_in(admin, "admin@example.org")
    with capture_logs() as logs:
        invited = await form_post(
            admin,
            "/admin/users/new",
            "/admin/users/new",
            {"name": "Nina Neu", "email": "nina@example.org", "roles": "mediator"},
        )
        assert invited.status_code == 303
        user_page = invited.headers["location"]
        (first,) = await _mails(app)
        assert first.recipients == ["nina@example.org"]
        assert first.subject == "Einladung zum Konfliktmanagement"
        assert "Nina" not in first.body_text, "no personal data beyond the address and the link"
        old_link = _link_path(first)

        # Resending revokes the first link; the admin page says until when the new one works.
        resent = await form_post(admin, user_page, f"{user_page}/invitation", {})
        assert resent.status_code == 303
        assert "Die Einladung ist verschickt und gilt bis" in (await admin.get(user_page)).text
        link = _link_path((await _mails(app))[1])
        gone = await client.get(old_link)
        assert gone.status_code == 410
        assert "Dieser Link ist ungültig" in gone.text

        form = await client.get(link)
        assert form.status_code == 200
        assert "Willkommen – Passwort festlegen" in form.text
        mismatch = await _set_password(client, link, NEW_PASSWORD, "something else entirely")
        assert mismatch.status_code == 422
        assert "stimmen nicht überein" in mismatch.text
        assert NEW_PASSWORD not in mismatch.text
        done = await _set_password(client, link, NEW_PASSWORD)
        assert done.status_code == 303
        assert done.headers["location"] == "/login"
        assert "Ihr Passwort ist gespeichert" in (await client.get("/login")).text
        await sign_in(client, "nina@example.org", NEW_PASSWORD)

        again = await make_client().get(link)
        assert again.status_code == 410
        assert "Dieser Link wurde schon benutzt" in again.text
        assert "Einladung erneut senden" not in (await admin.get(user_page)).text

    # Another invitation, revoked by the admin; a third one expires after 72 hours.
    await form_post(
        admin, "/admin/users/new", "/admin/users/new", {"name": "O", "email": "o@example.org", "roles": "mediator"}
    )
    revoked_link = _link_path((await _mails(app))[2])
    o_page = f"/admin/users/{await _user_id(app, 'o@example.org')}"
    assert (await form_post(admin, o_page, f"{o_page}/invitation/revoke", {})).status_code == 303
    assert "Es gilt keine Einladung" in (await admin.get(o_page)).text
    assert (await client.get(revoked_link)).status_code == 410
    await form_post(admin, o_page, f"{o_page}/invitation", {})
    expiring = _link_path((await _mails(app))[3])
    moved.at += timedelta(hours=72)
    expired = await make_client().get(expiring)
    assert expired.status_code == 410
    assert "Dieser Link ist abgelaufen" in expired.text

    tokens = [link.split("token=")[1], old_link.split("token=")[1]]
    assert not [entry for entry in logs if any(token in str(entry) for token in tokens)], "no token in the logs"
    assert not [entry for entry in logs if "nina@example.org" in str(entry)], "no address in the logs"


async def _user_id(app: Litestar, email: str) -> str:
    async with app.state["alchemy_config"].get_session() as session:
        return str(await session.scalar(select(m.User.id).where(m.User.email == email)))


async def test_a_reset_request_answers_the_same_for_known_and_unknown_addresses(
    app: Litestar, client: AsyncClient, make_client: Callable[[], AsyncClient], moved: MovableClock
) -> None:
    user = await create_user(app, "kim@example.org", [m.Role.COORDINATOR], name="Kim Koordination")
    elsewhere = make_client()
    await sign_in(elsewhere, "kim@example.org")

    known, unknown = await _forgot(client, "Kim@Example.org"), await _forgot(make_client(), "nobody@example.org")
    assert (known.status_code, known.headers["location"]) == (unknown.status_code, unknown.headers["location"])
    assert known.status_code == 303
    message = "Falls ein Zugang mit dieser E-Mail-Adresse besteht"
    assert message in (await client.get("/login")).text
    (mail,) = await _mails(app)  # only the known address gets an e-mail
    assert mail.recipients == ["kim@example.org"]
    assert "Kim Koordination" not in mail.body_text
    link = _link_path(mail)
    assert "Neues Passwort festlegen" in (await client.get(link)).text

    short = await _set_password(client, link, "short")
    assert short.status_code == 422
    assert "mindestens 12 Zeichen" in short.text
    assert (await _set_password(client, link, NEW_PASSWORD)).status_code == 303
    ended = await elsewhere.get("/dashboard")
    assert ended.status_code == 303, "using the link ends the account's other sessions"
    assert ended.headers["location"].startswith("/login")
    await sign_in(client, "kim@example.org", NEW_PASSWORD)
    spent = {
        "token": link.split("token=")[1],
        "password": "another passphrase 9",
        "password_repeat": "another passphrase 9",
    }
    replay = await form_post(make_client(), "/login", "/login/set-password", spent)
    assert replay.status_code == 410
    assert "Dieser Link wurde schon benutzt" in replay.text

    # A reset link expires after an hour.
    await _forgot(make_client(), "kim@example.org")
    later = _link_path((await _mails(app))[1])
    moved.at += timedelta(minutes=61)
    assert "Dieser Link ist abgelaufen" in (await make_client().get(later)).text
    stored = await row(app, m.User, user.id)
    assert stored is not None
    assert stored.password is not None
    assert stored.password.verify(NEW_PASSWORD)


async def test_reset_requests_are_limited_per_account_known_or_not(
    app: Litestar, client: AsyncClient, moved: MovableClock
) -> None:
    """Three an hour for each submitted address; the fourth is refused the same way for a known and an
    unknown one. (The per-client-address limit: tests/unit/test_reset_throttle.py.)"""
    await create_user(app, "lu@example.org")
    csrf = csrf_from(await client.get("/login/forgot"))

    async def ask(email: str) -> Response:
        return await client.post("/login/forgot", data={"email": email, "_csrf_token": csrf})

    for email in ("lu@example.org", "ghost@example.org"):
        assert [(await ask(email)).status_code for _ in range(3)] == [303] * 3
    await client.get("/login")  # shows (and so clears) the messages of the requests above
    refused = [await ask(email) for email in ("lu@example.org", "ghost@example.org")]
    assert [answer.status_code for answer in refused] == [429, 429]
    assert "Zu viele Anfragen. Bitte versuchen Sie es in 60 Minuten erneut." in refused[0].text
    assert _without_tokens(refused[0].text, "lu@example.org") == _without_tokens(refused[1].text, "ghost@example.org")
    assert len(await _mails(app)) == 3, "refused requests send nothing"
    moved.at += timedelta(hours=1)
    assert (await ask("lu@example.org")).status_code == 303


def _without_tokens(page: str, email: str) -> str:
    return re.sub(r'value="[^"]{20,}"', "", page.replace(email, "X"))


async def test_after_an_admin_reset_the_person_must_choose_a_new_password_first(
    app: Litestar, make_client: Callable[[], AsyncClient]
) -> None:
    await create_user(app, "admin@example.org", [m.Role.ADMIN])
    target = await create_user(app, "mia@example.org", [m.Role.MEDIATOR], name="Mia")
    admin, mia = make_client(), make_client()
    await sign_in(admin, "admin@example.org")
    await sign_in(mia, "mia@example.org")
    page = f"/admin/users/{target.id}"
    short = await form_post(admin, page, f"{page}/password", {"version": "1", "password": "short"})
    assert short.status_code == 422
    assert 'id="f-password-error"' in short.text
    reset = await form_post(admin, page, f"{page}/password", {"version": "1", "password": "temporary password 1"})
    assert reset.status_code == 303
    assert (await mia.get("/cases/mine")).status_code == 303, "the reset ends the person's sessions"

    await sign_in(mia, "mia@example.org", "temporary password 1")
    for path in ("/", "/cases/mine", "/account/settings", "/account/tokens"):
        answer = await mia.get(path)
        assert (answer.status_code, answer.headers.get("location")) == (303, "/account/password"), path
    forced = await mia.get("/account/password")
    assert "zurückgesetzt" in forced.text
    # The API's 403 is in test_api_tokens.py (that module's app has its OpenAPI document built already).

    data = {"current_password": "wrong password 12", "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    wrong = await form_post(mia, "/account/password", "/account/password", data)
    assert wrong.status_code == 422
    assert "Das aktuelle Passwort ist falsch." in wrong.text
    data["current_password"] = "temporary password 1"
    changed = await form_post(mia, "/account/password", "/account/password", data)
    assert (changed.status_code, changed.headers["location"]) == (303, "/")
    assert (await mia.get("/cases/mine")).status_code == 200
    stored = await row(app, m.User, target.id)
    assert stored is not None
    assert not stored.must_change_password


async def test_the_settings_page_changes_the_name_and_the_password(
    app: Litestar, client: AsyncClient, make_client: Callable[[], AsyncClient]
) -> None:
    user = await create_user(app, "ria@example.org", [m.Role.ROUND_TABLE_MEMBER], name="Ria")
    other_device = make_client()
    await sign_in(other_device, "ria@example.org")
    await sign_in(client, "ria@example.org")
    page = await client.get("/account/settings")
    assert page.status_code == 200
    for href in ('href="/account/settings"', 'href="/account/notifications"', 'href="/calendar"'):
        assert href in page.text
    empty = await form_post(client, "/account/settings", "/account/settings", {"version": "1", "name": " "})
    assert empty.status_code == 422
    renamed = await form_post(client, "/account/settings", "/account/settings", {"version": "1", "name": "Ria Rund"})
    assert renamed.status_code == 303
    assert "Ria Rund" in (await client.get("/account/settings")).text
    stale = await form_post(client, "/account/settings", "/account/settings", {"version": "1", "name": "Alt"})
    assert stale.status_code == 409

    same = {"current_password": DEFAULT_PASSWORD, "password": DEFAULT_PASSWORD, "password_repeat": DEFAULT_PASSWORD}
    assert (await form_post(client, "/account/settings", "/account/password", same)).status_code == 422
    data = {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD}
    changed = await form_post(client, "/account/settings", "/account/password", data)
    assert (changed.status_code, changed.headers["location"]) == (303, "/account/settings")
    assert (await client.get("/account/settings")).status_code == 200, "this session stays"
    assert (await other_device.get("/account/settings")).status_code == 303, "the other sessions end"
    stored = await row(app, m.User, user.id)
    assert stored is not None
    assert stored.name == "Ria Rund"
    assert stored.password is not None
    assert stored.password.verify(NEW_PASSWORD)
