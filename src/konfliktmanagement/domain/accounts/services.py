"""Users and their roles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts import passwords
from konfliktmanagement.domain.accounts.auth import end_sessions_of
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.lib.exceptions import FieldError, NotAllowed, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service


class UserRepository(SQLAlchemyAsyncRepository[m.User]):
    model_type = m.User


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _validate(email: str | None, name: str | None, roles: Iterable[str], password: str | None) -> list[m.Role]:
    errors: list[FieldError] = []
    if email is not None and ("@" not in email or len(email) > 320 or email.startswith("@") or email.endswith("@")):
        errors.append(FieldError("email", _("Bitte eine gültige E-Mail-Adresse angeben.")))
    if name is not None and not (1 <= len(name.strip()) <= 200):
        errors.append(FieldError("name", _("Bitte einen Namen mit höchstens 200 Zeichen angeben.")))
    parsed: list[m.Role] = []
    roles = [role for role in roles if role]
    if not roles:
        errors.append(FieldError("roles", _("Bitte mindestens eine Rolle wählen.")))
    for role in roles:
        try:
            parsed.append(m.Role(role))
        except ValueError:
            errors.append(FieldError("roles", _("Unbekannte Rolle.")))
    if password is not None and (problem := passwords.password_problem(password)):
        errors.append(FieldError("password", problem))
    if errors:
        raise ValidationFailed(errors)
    return sorted(set(parsed))


class UserService(Service[m.User, UserRepository]):
    repository_type = UserRepository
    loader_options = (selectinload(m.User.role_rows),)

    async def authenticate(self, email: str, password: str) -> m.User | None:
        # Not the roles: signing in needs the password's hash; each request loads its person (auth.py).
        user = await self.repository.session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
        hashed = user.password if user is not None and user.is_active else None
        if not await passwords.verify(hashed, password):
            return None
        return user

    async def list_users(self) -> list[m.User]:
        return list(
            await self.repository.get_many(order_by=[(m.User.name, False)], load=[selectinload(m.User.role_rows)])
        )

    async def get_user(self, user_id: UUID) -> m.User:
        user = await self.repository.get_one_or_none(m.User.id == user_id, load=[selectinload(m.User.role_rows)])
        if user is None:
            raise NotFound
        return user

    async def create_user(self, *, email: str, name: str, roles: Iterable[str], password: str | None) -> m.User:
        email = normalise_email(email)
        parsed = _validate(email, name, roles, password)
        if await self.repository.exists(m.User.email == email):
            raise ValidationFailed([FieldError("email", _("Diese E-Mail-Adresse ist bereits vergeben."))])
        user = m.User(email=email, name=name.strip(), password=password, is_active=True)
        user.role_rows = [m.UserRole(role=role.value) for role in parsed]
        await self.repository.add(user)
        return user

    async def update_user(
        self,
        user_id: UUID,
        *,
        version: int,
        name: str,
        roles: Iterable[str],
        is_active: bool,
        actor: Principal,
    ) -> m.User:
        user = await self.get_user(user_id)
        ensure_version(user, version)
        parsed = _validate(None, name, roles, None)
        if user.id == actor.id and (not is_active or m.Role.ADMIN not in parsed):
            raise NotAllowed(_("Sie können sich nicht selbst deaktivieren oder die eigene Admin-Rolle entziehen."))
        if m.Role.ADMIN in user.roles and (not is_active or m.Role.ADMIN not in parsed):
            await self._ensure_another_admin(user.id)
        user.name = name.strip()
        user.is_active = is_active
        user.role_rows = [m.UserRole(role=role.value) for role in parsed]
        # Any change of roles or state is a change of the user row, so concurrent edits collide on version.
        user.updated_at = datetime.now(UTC)
        await self.session.flush()
        return user

    async def rename(self, actor: Principal, *, version: int, name: str) -> m.User:
        """The signed-in person changes their own name (settings page); their row is read here, not on
        every request."""
        user = await self.repository.get(actor.id)
        ensure_version(user, version)
        _validate(None, name, [role.value for role in actor.roles], None)
        user.name = name.strip()
        user.updated_at = datetime.now(UTC)
        await self.session.flush()
        return user

    async def change_password(
        self, actor: Principal, *, current: str, password: str, repeat: str, keep_session: str | None
    ) -> m.User:
        """The signed-in person sets a new password with their current one; their other sessions end,
        a forced change is done. Their row (with the password's hash) is read here."""
        user = await self.repository.get(actor.id)
        errors: list[FieldError] = []
        if not await passwords.verify(user.password, current):
            errors.append(FieldError("current_password", _("Das aktuelle Passwort ist falsch.")))
        if problem := passwords.password_problem(password):
            errors.append(FieldError("password", problem))
        elif password != repeat:
            errors.append(FieldError("password_repeat", _("Die beiden Passwörter stimmen nicht überein.")))
        elif password == current:
            errors.append(FieldError("password", _("Bitte ein anderes als das bisherige Passwort wählen.")))
        if errors:
            raise ValidationFailed(errors)
        user.password = password  # type: ignore[assignment]  # hashed by the column type
        user.must_change_password = False
        user.updated_at = datetime.now(UTC)
        await self.session.flush()
        await end_sessions_of(self.session, user.id, keep=keep_session)
        return user

    async def reset_password(self, user_id: UUID, *, version: int, password: str, actor: Principal) -> m.User:
        """An admin sets a temporary password: the person must choose their own at the next sign-in, and
        their sessions end now."""
        user = await self.get_user(user_id)
        ensure_version(user, version)
        _validate(None, None, [role.value for role in user.roles], password)
        if user.id == actor.id:
            raise NotAllowed(_("Ihr eigenes Passwort ändern Sie in den Einstellungen."))
        user.password = password  # type: ignore[assignment]  # hashed by the column type
        user.must_change_password = True
        user.updated_at = datetime.now(UTC)
        await self.session.flush()
        await end_sessions_of(self.session, user.id)
        return user

    async def _ensure_another_admin(self, user_id: UUID) -> None:
        others = await self.session.scalar(
            select(func.count())
            .select_from(m.UserRole)
            .join(m.User, m.User.id == m.UserRole.user_id)
            .where(m.UserRole.role == m.Role.ADMIN.value, m.User.is_active.is_(True), m.User.id != user_id)
        )
        if not others:
            raise NotAllowed(_("Es muss mindestens eine aktive Administrator:in bleiben."))
