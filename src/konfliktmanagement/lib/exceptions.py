"""Domain errors. Services raise them; one app-level handler renders them as a page or RFC 9457 body.

Messages are shown to users, so they must never contain personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from konfliktmanagement.lib.i18n import gettext


@dataclass(slots=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    status_code: int = 400
    title: str = "Ungültige Anfrage"

    def __init__(
        self, detail: str | None = None, *, extra: dict[str, Any] | None = None, errors: list[FieldError] | None = None
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extra = extra or {}
        # Messages by field: a form shows each next to its field, a problem body lists them.
        self.errors = errors or []


class NotFound(DomainError):
    status_code = 404
    title = "Nicht gefunden"


class NotAllowed(DomainError):
    status_code = 403
    title = "Keine Berechtigung"


class PasswordChangeRequired(NotAllowed):
    """After an admin's reset nothing but choosing a new password is allowed: pages go to `PAGE`, the API
    answers 403 with `password_change_required`."""

    PAGE = "/account/password"

    def __init__(self) -> None:
        super().__init__(
            gettext("Bitte legen Sie zuerst ein neues Passwort fest (/account/password)."),
            extra={"password_change_required": True},
        )


class Conflict(DomainError):
    status_code = 409
    title = "Konflikt"


class ValidationFailed(DomainError):
    status_code = 422
    title = "Eingaben unvollständig oder ungültig"

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail, errors=errors)


class DatabaseUnavailable(DomainError):
    """The database could not serve the request now (connection lost, pool exhausted, timeout, lock).

    Raised where a database failure is known to be one (a failed commit); errors the driver raises
    are recognised by `db.outage.database_unavailable`. Both answer 503 with `Retry-After`.
    """

    status_code = 503
    title = "Vorübergehend nicht verfügbar"


class StaleVersion(Conflict):
    """Raised when a client edits with an old `version`: it gets the current one to reload from."""

    def __init__(self, current_version: int) -> None:
        super().__init__("Der Datensatz wurde inzwischen geändert.", extra={"current_version": current_version})
        self.current_version = current_version


class InvalidTransition(Conflict):
    """A transition that does not exist from this state, or whose guards are not met."""

    title = "Statuswechsel nicht möglich"

    def __init__(
        self,
        detail: str,
        *,
        guard: str,
        missing: list[dict[str, str]] | None = None,
        errors: list[FieldError] | None = None,
    ) -> None:
        super().__init__(detail, extra={"guard": guard, "missing": missing or []}, errors=errors)
        self.guard = guard
