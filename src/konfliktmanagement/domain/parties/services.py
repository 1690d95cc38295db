"""Parties: who may see one, the detail (with contact data for assigned mediators only), updates.

A party may take part in several cases, so its routes are named by the party, not by a case: `find`
loads the party's cases this user may read, and the access rules decide per case what they show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import msgspec
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import ColumnElement, exists, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event, queue_denial
from konfliktmanagement.domain.cases.access import CaseRole, Write, case_role, may_see_contact_data, readable_cases
from konfliktmanagement.domain.cases.loading import deny, load_case
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.lib.exceptions import Conflict, FieldError, NotAllowed, NotFound, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service

_TEXT_FIELDS = ("name", "phone", "email", "address", "language")


def _refusal() -> str:
    return _("Nur die zugewiesenen Mediator:innen eines Falls dieser Partei dürfen ihre Daten ändern.")


def visible_parties(user: Principal) -> ColumnElement[bool]:
    """A WHERE clause on `Party`: parties in at least one case this user may read."""
    return m.Party.id.in_(
        select(m.Participation.party_id).join(m.Case, m.Case.id == m.Participation.case_id).where(readable_cases(user))
    )


def clean_party_fields(data: schemas.PartyCreate | schemas.PartyUpdate, *, prefix: str = "") -> dict[str, Any]:
    """The given text fields stripped; blank optional ones become None, a blank name is refused."""
    values: dict[str, Any] = {}
    for name in (*_TEXT_FIELDS, "group_size_estimate"):
        value = getattr(data, name)
        if value is msgspec.UNSET:
            continue
        if isinstance(value, str):
            value = value.strip() or None
        if name == "name" and value is None:
            raise ValidationFailed([FieldError(prefix + "name", _("Bitte einen Namen oder eine Bezeichnung angeben."))])
        values[name] = value
    return values


@dataclass(frozen=True, slots=True)
class PartyCaseRow:
    participation: m.Participation
    reference: str
    status: m.CaseStatus
    role: CaseRole

    @property
    def shows_contact_data(self) -> bool:
        return may_see_contact_data(self.role)


@dataclass(frozen=True, slots=True)
class PartyView:
    party: m.Party
    contact_visible: bool
    cases: list[tuple[m.Participation, str]]

    def as_detail(self) -> schemas.PartyDetail:
        """What the API and the party page show: name and contact data only if `contact_visible`."""
        return schemas.party_detail(self.party, contact_visible=self.contact_visible, cases=self.cases)


class PartyRepository(SQLAlchemyAsyncRepository[m.Party]):
    model_type = m.Party


class PartyService(Service[m.Party, PartyRepository]):
    repository_type = PartyRepository

    async def detail(self, user: Principal, party_id: UUID) -> PartyView:
        return await self.find(user, party_id, attempted="read_party")

    async def find(self, user: Principal, party_id: UUID, *, attempted: str) -> PartyView:
        """The party as this user may see it: its cases they may read, contact data only for a mediator
        of one of them. No such case → 404, the attempt audited on the party's cases."""
        rows = await self._readable_cases_of(user, party_id, attempted=attempted)
        party = await self.session.scalar(
            select(m.Party).where(m.Party.id == party_id).execution_options(populate_existing=True)
        )
        if party is None:
            raise NotFound
        return _view(party, rows)

    async def revise(self, user: Principal, party_id: UUID, data: schemas.PartyUpdate) -> PartyView:
        """Name, kind and contact data; only the mediators of the party's cases may change them."""
        session = self.session
        rows = await self._readable_cases_of(user, party_id, attempted="update_party")
        mediated = [row for row in rows if row.shows_contact_data]
        if not mediated:
            raise self._refuse(user, rows, "update_party")
        # Archived cases hold no contact data any more; if only those are left, load_case refuses.
        writable = sorted(
            {row.participation.case_id for row in mediated if row.status is not m.CaseStatus.ARCHIVIERT}
        ) or [mediated[0].participation.case_id]
        for case_id in writable:  # in id order, so two writers never lock the same cases crosswise
            # A person's own data, not the case's record: rectified on request even on a closed case (Art. 16 GDPR).
            access = await load_case(session, user, case_id, attempted="update_party", for_write=Write.LIFECYCLE)
            if not access.may_see_contact_data:
                raise deny(session, access, "update_party", _refusal())
        party = await session.scalar(
            select(m.Party).where(m.Party.id == party_id).with_for_update().execution_options(populate_existing=True)
        )
        if party is None:
            raise NotFound
        if party.erased_at is not None:
            raise Conflict(_("Die Daten dieser Partei wurden gelöscht."))
        ensure_version(party, data.version)
        changes = clean_party_fields(data)
        if data.kind is not msgspec.UNSET:
            changes["kind"] = data.kind.value
        changed = sorted(name for name, value in changes.items() if getattr(party, name) != value)
        for name in changed:
            setattr(party, name, changes[name])
        if changed:
            await session.flush()
            for case_id in writable:
                await append_event(
                    session,
                    case_id=case_id,
                    actor_id=user.id,
                    action="party_updated",
                    details={"party_id": str(party.id), "fields": changed},
                )
        return _view(party, rows)

    def _refuse(self, user: Principal, rows: list[PartyCaseRow], attempted: str) -> NotAllowed:
        """Audit the refusal on every case of the party this user sees, and return the 403 to raise."""
        for row in rows:
            queue_denial(self.session, case_id=row.participation.case_id, actor_id=user.id, attempted=attempted)
        return NotAllowed(_refusal())

    async def _readable_cases_of(self, user: Principal, party_id: UUID, *, attempted: str) -> list[PartyCaseRow]:
        """The party's participations in cases this user may read; none → 404, audited on its cases."""
        session = self.session
        assigned = exists().where(m.CaseMediator.case_id == m.Case.id, m.CaseMediator.user_id == user.id)
        result = await session.execute(
            select(m.Participation, m.Case.reference, m.Case.status, assigned)
            .join(m.Case, m.Case.id == m.Participation.case_id)
            .where(m.Participation.party_id == party_id, readable_cases(user))
            .order_by(m.Case.created_at, m.Case.id)
        )
        rows = [
            PartyCaseRow(
                participation=participation,
                reference=reference,
                status=m.CaseStatus(status),
                role=case_role(user, frozenset({user.id}) if is_assigned else frozenset()),
            )
            for participation, reference, status, is_assigned in result.all()
        ]
        if not rows:
            for case_id in await session.scalars(
                select(m.Participation.case_id).where(m.Participation.party_id == party_id)
            ):
                queue_denial(session, case_id=case_id, actor_id=user.id, attempted=attempted)
            raise NotFound
        return rows


def _view(party: m.Party, rows: list[PartyCaseRow]) -> PartyView:
    return PartyView(
        party=party,
        contact_visible=any(row.shows_contact_data for row in rows),
        cases=[(row.participation, row.reference) for row in rows],
    )
