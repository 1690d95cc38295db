"""Retention policies (Löschkonzept, Art. 5(1)(e) GDPR): per data class a period from a start event.

The defaults (DESIGN.md §5) apply until an administrator changes a period; each change is a new
version row (`m.RetentionPolicy`), never an edit, so the deletion log can name the version an erasure
followed and the history of the Löschkonzept stays readable.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import structlog
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.classification import RetentionClass
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.privacy import schemas
from konfliktmanagement.domain.privacy.access import may_manage_policies
from konfliktmanagement.lib.exceptions import FieldError, NotAllowed, StaleVersion, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.services import Service

logger = structlog.get_logger("konfliktmanagement.privacy")

R = RetentionClass


class Unit(StrEnum):
    MONTHS = "months"
    DAYS = "days"


class StartEvent(StrEnum):
    CASE_CLOSED = "case_closed"
    MESSAGE_SENT = "message_sent"
    EXPIRED = "expired"


# The classes erased with a case: due together once the case has been closed long enough.
CASE_CLASSES = (R.CONTACT, R.NOTES, R.MINUTES, R.AGREEMENTS, R.CASE_TEXTS, R.ADMINISTRATION, R.ATTACHMENTS)


@dataclass(frozen=True, slots=True)
class Default:
    amount: int
    unit: Unit
    start: StartEvent


DEFAULTS: dict[RetentionClass, Default] = {
    R.CONTACT: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.NOTES: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.MINUTES: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.AGREEMENTS: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.CASE_TEXTS: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.ADMINISTRATION: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.ATTACHMENTS: Default(24, Unit.MONTHS, StartEvent.CASE_CLOSED),
    R.OUTBOX: Default(90, Unit.DAYS, StartEvent.MESSAGE_SENT),
    R.SIGN_IN: Default(30, Unit.DAYS, StartEvent.EXPIRED),
}


def start_labels() -> dict[StartEvent, str]:
    return {
        StartEvent.CASE_CLOSED: _("nach Abschluss des Falls"),
        StartEvent.MESSAGE_SENT: _("nach dem Versand"),
        StartEvent.EXPIRED: _("nach Ablauf oder Widerruf"),
    }


def months_before(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Policy:
    data_class: RetentionClass
    version: int  # 0: the default, never changed
    amount: int
    unit: Unit
    start: StartEvent

    def cutoff(self, as_of: date) -> date:
        """Records whose start event lies on or before this day are due on `as_of`."""
        if self.unit is Unit.DAYS:
            return as_of - timedelta(days=self.amount)
        return months_before(as_of, self.amount)

    def due_on(self, start: date) -> date:
        """The first day on which a record whose start event was on `start` is due."""
        if self.unit is Unit.DAYS:
            return start + timedelta(days=self.amount)
        return months_before(start, -self.amount)

    @property
    def label(self) -> str:
        return label(self.data_class)

    @property
    def period(self) -> str:
        unit = _("Monate") if self.unit is Unit.MONTHS else _("Tage")
        return f"{self.amount} {unit} {start_labels()[self.start]}"


async def current_policies(session: AsyncSession) -> dict[RetentionClass, Policy]:
    """The policy in force for every class: its highest version, else the default."""
    policies = {
        data_class: Policy(data_class, 0, default.amount, default.unit, default.start)
        for data_class, default in DEFAULTS.items()
    }
    rows = await session.scalars(select(m.RetentionPolicy).order_by(m.RetentionPolicy.policy_version))
    for row in rows:
        data_class = RetentionClass(row.data_class)
        if data_class in policies and row.amount is not None:
            policies[data_class] = Policy(
                data_class, row.policy_version, row.amount, Unit(row.unit), DEFAULTS[data_class].start
            )
    return policies


class RetentionPolicyRepository(SQLAlchemyAsyncRepository[m.RetentionPolicy]):
    model_type = m.RetentionPolicy


class RetentionPolicyService(Service[m.RetentionPolicy, RetentionPolicyRepository]):
    repository_type = RetentionPolicyRepository

    async def history(self) -> list[m.RetentionPolicy]:
        return list(
            await self.session.scalars(
                select(m.RetentionPolicy).order_by(m.RetentionPolicy.created_at.desc(), m.RetentionPolicy.id.desc())
            )
        )

    async def change(self, user: Principal, data: schemas.PolicyChange) -> Policy:
        """The next version of a class's period. `version` must be the one in force (else 409)."""
        if not may_manage_policies(user):
            raise NotAllowed
        data_class = RetentionClass(data.data_class)
        if data_class not in DEFAULTS:
            raise ValidationFailed([FieldError("data_class", _("Für diese Datenklasse gibt es keine Löschfrist."))])
        current = (await current_policies(self.session))[data_class]
        if data.version != current.version:
            raise StaleVersion(current.version)
        unit = Unit(data.unit)
        errors = []
        minimum = 1 if DEFAULTS[data_class].start is StartEvent.CASE_CLOSED else 0
        if not minimum <= data.amount <= (600 if unit is Unit.MONTHS else 36500):
            errors.append(
                FieldError(
                    "amount",
                    _("Bitte eine Dauer zwischen %(min)s und 600 Monaten oder 36500 Tagen angeben.") % {"min": minimum},
                )
            )
        if not data.reason.strip():
            errors.append(FieldError("reason", _("Bitte begründen Sie die Änderung.")))
        if errors:
            raise ValidationFailed(errors)
        row = m.RetentionPolicy(
            data_class=data_class.value,
            policy_version=current.version + 1,
            amount=data.amount,
            unit=unit.value,
            changed_by_id=user.id,
            reason=data.reason.strip(),
        )
        self.session.add(row)
        await self.session.flush()
        logger.info(
            "retention_policy_changed",
            data_class=data_class.value,
            policy_version=row.policy_version,
            amount=data.amount,
            unit=unit.value,
            user_id=str(user.id),
        )
        return Policy(data_class, row.policy_version, data.amount, unit, current.start)
