"""One-time links that set an account's password: an admin's invitation, and "Passwort vergessen".

A link is `<base URL>/login/set-password?token=…` with 256 random bits; only their SHA-256 is stored
(`account_link`). It works once, until it expires (`Settings.invitation_valid_hours`,
`Settings.password_reset_valid_minutes`), and only while it is the newest of its purpose: sending
another, or the admin's revocation, revokes the older ones. Setting the password ends the account's
sessions. The e-mails go through the outbox and carry the recipient's address and the link, nothing
else of the account (not even the name). Neither tokens nor addresses are logged.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts import passwords
from konfliktmanagement.domain.accounts.auth import end_sessions_of
from konfliktmanagement.domain.accounts.services import UserService, normalise_email
from konfliktmanagement.domain.accounts.throttling import ResetRequestThrottle, TooManyAttempts
from konfliktmanagement.domain.accounts.tokens import token_digest
from konfliktmanagement.domain.outbox.services import enqueue
from konfliktmanagement.lib import clock
from konfliktmanagement.lib.exceptions import Conflict, DomainError, FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.i18n import ngettext
from konfliktmanagement.lib.services import Service

SET_PASSWORD_PATH = "/login/set-password"


@dataclass(frozen=True, slots=True)
class LinkMail:
    """What writing a link's e-mail needs: the mail templates, where the service is reached, how long
    links work."""

    render: Callable[[str, Mapping[str, Any]], str]
    base_url: str
    invitation_valid: timedelta
    reset_valid: timedelta

    def valid_for(self, purpose: m.LinkPurpose) -> timedelta:
        return self.invitation_valid if purpose is m.LinkPurpose.INVITATION else self.reset_valid


@dataclass(frozen=True, slots=True)
class LinkState:
    """What the set-password page shows for a token: the form (`problem` None) or why it cannot."""

    purpose: m.LinkPurpose | None
    problem: str | None


class LinkUnusable(DomainError):
    """The link is unknown, revoked, used or expired: the page says which, next to no field but the token."""

    status_code = 410
    title = "Link nicht mehr gültig"

    def __init__(self, message: str) -> None:
        super().__init__(message, errors=[FieldError("token", message)])


class TooManyRequests(DomainError):
    status_code = 429
    title = "Zu viele Anfragen"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        message = ngettext(
            "Zu viele Anfragen. Bitte versuchen Sie es in %(n)s Minute erneut.",
            "Zu viele Anfragen. Bitte versuchen Sie es in %(n)s Minuten erneut.",
            minutes,
        ) % {"n": minutes}
        super().__init__(message, errors=[FieldError("email", message)])


class AccountLinkRepository(SQLAlchemyAsyncRepository[m.AccountLink]):
    """Account links, by id; the use cases below look them up by their token's digest."""

    model_type = m.AccountLink


class AccountLinkService(Service[m.AccountLink, AccountLinkRepository]):
    """Invitations, reset requests and setting a password through a link (the module says how)."""

    repository_type = AccountLinkRepository

    async def invite(self, mail: LinkMail, *, email: str, name: str, roles: Iterable[str]) -> m.User:
        """A new account without a password, and the invitation that lets its person set one."""
        user = await self._users.create_user(email=email, name=name, roles=roles, password=None)
        await self._send(mail, user, m.LinkPurpose.INVITATION)
        return user

    async def resend_invitation(self, mail: LinkMail, user_id: UUID) -> m.User:
        user = await self._users.get_user(user_id)
        if user.password is not None:
            raise Conflict(_("Diese Person hat ihr Passwort schon festgelegt; eine Einladung ist nicht mehr nötig."))
        await self._send(mail, user, m.LinkPurpose.INVITATION)
        return user

    async def revoke_invitation(self, user_id: UUID) -> m.User:
        user = await self._users.get_user(user_id)
        await self._revoke_open(user.id, m.LinkPurpose.INVITATION)
        return user

    async def request_reset(self, mail: LinkMail, throttle: ResetRequestThrottle, email: str) -> None:
        """Send a reset link if an active account has this address; answer the same either way (the
        throttle counts the submitted address, known or not)."""
        if "@" not in email:
            raise ValidationFailed([FieldError("email", _("Bitte eine gültige E-Mail-Adresse angeben."))])
        try:
            await throttle.admit(self.session)
        except TooManyAttempts as refused:
            raise TooManyRequests(refused.retry_after) from refused
        user = await self.session.scalar(
            select(m.User).where(m.User.email == normalise_email(email), m.User.is_active.is_(True))
        )
        if user is not None:
            await self._send(mail, user, m.LinkPurpose.RESET)

    async def open_invitation(self, user_id: UUID) -> datetime | None:
        """Until when this account's invitation still works, or None (none sent, used, revoked, expired)."""
        expires: datetime | None = await self.session.scalar(
            select(m.AccountLink.expires_at).where(
                m.AccountLink.user_id == user_id,
                m.AccountLink.purpose == m.LinkPurpose.INVITATION.value,
                m.AccountLink.used_at.is_(None),
                m.AccountLink.revoked_at.is_(None),
                m.AccountLink.expires_at > clock.now(),
            )
        )
        return expires

    async def state(self, token: str) -> LinkState:
        try:
            link = await self._usable(token)
        except LinkUnusable as exc:
            return LinkState(purpose=None, problem=exc.detail)
        return LinkState(purpose=m.LinkPurpose(link.purpose), problem=None)

    async def redeem(self, token: str, password: str, repeat: str) -> m.User:
        """Set the password through the link, once: the link is spent, the account's other links revoked,
        its sessions ended, a forced change done."""
        link = await self._usable(token)
        errors = []
        if problem := passwords.password_problem(password):
            errors.append(FieldError("password", problem))
        elif password != repeat:
            errors.append(FieldError("password_repeat", _("Die beiden Passwörter stimmen nicht überein.")))
        if errors:
            raise ValidationFailed(errors)
        now = clock.now()
        # Conditional on being unused: of two requests with the same link, one sets the password.
        spent = await self.session.execute(
            update(m.AccountLink)
            .where(m.AccountLink.id == link.id, m.AccountLink.used_at.is_(None))
            .values(used_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if spent.rowcount != 1:  # type: ignore[attr-defined]
            raise LinkUnusable(_used())
        await self._revoke_open(link.user_id)
        user = link.user
        user.password = password  # type: ignore[assignment]  # hashed by the column type
        user.must_change_password = False
        user.updated_at = now
        await self.session.flush()
        await end_sessions_of(self.session, user.id)
        return user

    async def _usable(self, token: str) -> m.AccountLink:
        link = await self.session.scalar(
            select(m.AccountLink)
            .join(m.AccountLink.user)
            .options(contains_eager(m.AccountLink.user))
            .where(m.AccountLink.token_hash == token_digest(token), m.User.is_active.is_(True))
        )
        if link is None or link.revoked_at is not None:
            raise LinkUnusable(_("Dieser Link ist ungültig. Vielleicht wurde inzwischen ein neuerer verschickt."))
        if link.used_at is not None:
            raise LinkUnusable(_used())
        if link.expires_at <= clock.now():
            raise LinkUnusable(_("Dieser Link ist abgelaufen."))
        return link

    async def _send(self, mail: LinkMail, user: m.User, purpose: m.LinkPurpose) -> None:
        await self._revoke_open(user.id, purpose)
        token = secrets.token_urlsafe(32)
        link = m.AccountLink(
            user_id=user.id,
            purpose=purpose.value,
            token_hash=token_digest(token),
            expires_at=clock.now() + mail.valid_for(purpose),
        )
        self.session.add(link)
        await self.session.flush()
        context = {"url": f"{mail.base_url}{SET_PASSWORD_PATH}?token={token}", "expires_at": link.expires_at}
        subject = (
            _("Einladung zum Konfliktmanagement")
            if purpose is m.LinkPurpose.INVITATION
            else _("Neues Passwort für das Konfliktmanagement")
        )
        await enqueue(
            self.session,
            to=[user.email],
            subject=subject,
            text=mail.render(f"mail/{purpose.value}.txt", context),
            dedupe_key=f"account-link:{link.id}",
        )

    @property
    def _users(self) -> UserService:
        return UserService(session=self.session)

    async def _revoke_open(self, user_id: UUID, purpose: m.LinkPurpose | None = None) -> None:
        now = clock.now()
        rows = (m.AccountLink.user_id == user_id) & m.AccountLink.used_at.is_(None) & m.AccountLink.revoked_at.is_(None)
        if purpose is not None:
            rows = rows & (m.AccountLink.purpose == purpose.value)
        await self.session.execute(
            update(m.AccountLink)
            .where(rows)
            .values(revoked_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )


def _used() -> str:
    return _("Dieser Link wurde schon benutzt. Jeder Link funktioniert nur einmal.")
