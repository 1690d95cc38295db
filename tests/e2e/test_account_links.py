"""Invitation and "Passwort vergessen" end to end: the admin invites in the browser, the e-mails arrive on a
real SMTP server on loopback (aiosmtpd), and the person follows their links in the browser."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from konfliktmanagement.domain.outbox.delivery import deliver_due
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.mail import SmtpConfig
from tests.e2e.data import PASSWORD, Office
from tests.e2e.server import LiveServer
from tests.e2e.ui import field, flash
from tests.integration.outbox_server import HOST, SmtpServer, free_port

INVITEE = ("nora@example.org", "Nora Neu")
FIRST_PASSWORD = "my own first passphrase 1"
SECOND_PASSWORD = "my own second passphrase 2"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


def _mail_to(live_server: LiveServer, smtp: SmtpServer, address: str) -> EmailMessage:
    """Deliver the outbox to the loopback SMTP server and return the newest message for `address`."""
    config = live_server.app.state["alchemy_config"]
    # As if a little later: the app's own background round (to its default, absent server) may have
    # postponed the message already.
    later = clock.now() + timedelta(hours=1)
    live_server.run(
        deliver_due(config.get_session, SmtpConfig(host=HOST, port=smtp.port, sender="km@example.org"), now=later)
    )
    received = [item.message for item in smtp.inbox.messages if item.rcpt_tos == [address]]
    assert received, "no e-mail arrived"
    return received[-1]


def _link(message: EmailMessage, live_server: LiveServer) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Nora" not in text, "no name in the e-mail"
    found = re.search(r"https?://\S+/login/set-password\?token=[\w-]+", text)
    assert found, text
    assert found.group(0).startswith(live_server.app.state["settings"].effective_base_url)
    parts = urlsplit(found.group(0))
    return f"{parts.path}?{parts.query}"


def _choose_password(page: Page, password: str) -> None:
    field(page, "Neues Passwort").fill(password)
    field(page, "Neues Passwort wiederholen").fill(password)
    page.get_by_role("button", name="Passwort speichern").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    flash(page, "Ihr Passwort ist gespeichert")


def _sign_in_as(page: Page, email: str, password: str) -> None:
    field(page, "E-Mail-Adresse").fill(email)
    field(page, "Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))


def test_invitation_and_password_reset_in_the_browser(
    live_server: LiveServer, office: Office, open_page: Callable[..., Page], smtp: SmtpServer
) -> None:
    email, name = INVITEE
    admin = open_page()
    admin.goto("/login?next=/admin/users/new")  # signed in, the form opens at once
    _sign_in_as(admin, office.admin.email, PASSWORD)
    field(admin, "Name").fill(name)
    field(admin, "E-Mail-Adresse").fill(email)
    admin.get_by_label("Mediation", exact=True).check()
    admin.get_by_role("button", name="Einladen").click()
    flash(admin, "die Einladung ist per E-Mail unterwegs")
    expect(admin.get_by_text("Die Einladung ist verschickt und gilt bis")).to_be_visible()

    invitation = _mail_to(live_server, smtp, email)
    assert invitation["Subject"] == "Einladung zum Konfliktmanagement"
    nora = open_page()
    nora.goto(_link(invitation, live_server))
    expect(nora.get_by_role("heading", level=1)).to_have_text("Willkommen – Passwort festlegen")
    _choose_password(nora, FIRST_PASSWORD)
    expect(nora.get_by_role("link", name="Passwort vergessen?")).to_be_visible()
    _sign_in_as(nora, email, FIRST_PASSWORD)
    expect(nora.locator(".nav-wide .account-name")).to_have_text(name)

    # Another browser: "Passwort vergessen" (linked from the sign-in page, seen above).
    again = open_page()
    again.goto("/login/forgot")
    field(again, "E-Mail-Adresse").fill(email)
    again.get_by_role("button", name="Link anfordern").click()
    flash(again, "Falls ein Zugang mit dieser E-Mail-Adresse besteht")
    reset = _mail_to(live_server, smtp, email)
    assert reset["Subject"] == "Neues Passwort für das Konfliktmanagement"
    link = _link(reset, live_server)
    again.goto(link)
    expect(again.get_by_role("heading", level=1)).to_have_text("Neues Passwort festlegen")
    _choose_password(again, SECOND_PASSWORD)
    _sign_in_as(again, email, SECOND_PASSWORD)
    # Single use, expiry and the ended sessions: tests/integration/test_account_links.py.
