"""What the privacy admin pages show: policies in force and their history, the retention preview,
the deletion log, the record of processing. Admins only (checked here, as the pages' one rule)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from litestar.di import NamedDependency
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.db.classification import RetentionClass
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.privacy import record, schemas
from konfliktmanagement.domain.privacy.access import may_manage_policies
from konfliktmanagement.domain.privacy.policies import Policy, current_policies
from konfliktmanagement.domain.privacy.retention import run_retention
from konfliktmanagement.lib.exceptions import NotAllowed

LOG_ROWS = 200


@dataclass(frozen=True, slots=True)
class PoliciesPage:
    policies: dict[RetentionClass, Policy]
    history: list[m.RetentionPolicy]
    preview: schemas.RetentionReport
    log: list[m.DeletionLog]


class PrivacyAdminQuery:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.session = db_session

    async def page(self, user: Principal, as_of: date) -> PoliciesPage:
        if not may_manage_policies(user):
            raise NotAllowed
        session = self.session
        # The preview is the job's own dry run: it counts exactly what a run would erase.
        preview = await run_retention(session, as_of, dry_run=True)
        history = list(
            await session.scalars(
                select(m.RetentionPolicy).order_by(m.RetentionPolicy.created_at.desc(), m.RetentionPolicy.id.desc())
            )
        )
        log = list(
            await session.scalars(
                select(m.DeletionLog).order_by(m.DeletionLog.performed_at.desc(), m.DeletionLog.id).limit(LOG_ROWS)
            )
        )
        return PoliciesPage(await current_policies(session), history, preview, log)

    async def record_html(self, user: Principal) -> str:
        if not may_manage_policies(user):
            raise NotAllowed
        return record.as_html(await current_policies(self.session))
