"""Which cases a user may read, and what a user may do with one case — the one place for it (DESIGN.md §4).

Every list, detail, search, export and statistic starts from `readable_cases`. Deny by default:
admins and round-table members have no case role and see no case data at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from sqlalchemy import ColumnElement, false, select, true

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.workflow import CLOSED, FINAL, STATUS_LABELS, Actor, Transition
from konfliktmanagement.lib.exceptions import Conflict
from konfliktmanagement.lib.i18n import gettext as _


class Write(StrEnum):
    """What a write on a case changes, which decides whether a closed case allows it."""

    RECORDS = "records"  # the case's data and records (parties, sessions, notes, …): not while closed
    LIFECYCLE = "lifecycle"  # status transitions and legal steps (reopening, archiving, erasure, legal hold)


class CaseRole(StrEnum):
    ASSIGNED_MEDIATOR = "assigned_mediator"
    COORDINATOR = "coordinator"
    NONE = "none"


def readable_cases(
    user: Principal, *, assigned: bool = False, user_id: ColumnElement[UUID] | None = None
) -> ColumnElement[bool]:
    """A WHERE clause on `Case` for the cases this user may read.

    `assigned=True`: the query already keeps only the cases the user is linked to as mediator (it
    starts from their `case_mediator` rows), so for a mediator the rule adds nothing and is left out —
    repeated, it cost a second index probe per case.
    `user_id`: a bound parameter standing for the user's id, for a statement built once and run for
    every user with the same roles.
    """
    if user.has_role(m.Role.COORDINATOR):
        return true()
    if user.has_role(m.Role.MEDIATOR):
        if assigned:
            return true()
        viewer = m.CaseMediator.user_id == (user.id if user_id is None else user_id)
        return m.Case.id.in_(select(m.CaseMediator.case_id).where(viewer))
    return false()


def may_work_with_cases(user: Principal) -> bool:
    return user.has_role(m.Role.COORDINATOR, m.Role.MEDIATOR)


def may_export_case_list(user: Principal) -> bool:
    """Case lists leave the service as CSV for the coordination only (mediators see, not download)."""
    return user.has_role(m.Role.COORDINATOR)


def case_role(user: Principal, mediator_ids: frozenset[UUID]) -> CaseRole:
    """Assigned mediators count first: a coordinator on the case acts as its mediator."""
    if user.has_role(m.Role.MEDIATOR) and user.id in mediator_ids:
        return CaseRole.ASSIGNED_MEDIATOR
    if user.has_role(m.Role.COORDINATOR):
        return CaseRole.COORDINATOR
    return CaseRole.NONE


def visible_note_tiers(role: CaseRole) -> frozenset[m.NoteTier]:
    if role is CaseRole.ASSIGNED_MEDIATOR:
        return frozenset(m.NoteTier)
    if role is CaseRole.COORDINATOR:
        # § 4 MediationsG: the mediators' private notes stay with them.
        return frozenset({m.NoteTier.CASE_TEAM, m.NoteTier.SHAREABLE})
    return frozenset()


def may_coordinate(user: Principal) -> bool:
    """City-wide steps that are the coordination's alone: assigning mediators, releasing notes for reports."""
    return user.has_role(m.Role.COORDINATOR)


def may_see_contact_data(role: CaseRole) -> bool:
    return role is CaseRole.ASSIGNED_MEDIATOR


@dataclass(frozen=True, slots=True)
class CaseAccess:
    """One case as one user may use it, decided once per request and passed down to the area services.

    The area services (parties, notes, sessions, agreements, administration requests) take this object
    instead of `(user, case_id)`: they never load the case or decide the case role again.
    """

    case: m.Case
    user: Principal
    role: CaseRole
    note_tiers: frozenset[m.NoteTier]
    may_see_contact_data: bool
    may_coordinate: bool

    @classmethod
    def of(cls, case: m.Case, user: Principal) -> CaseAccess:
        role = case_role(user, case.mediator_ids)
        return cls(
            case=case,
            user=user,
            role=role,
            note_tiers=visible_note_tiers(role),
            may_see_contact_data=may_see_contact_data(role),
            may_coordinate=may_coordinate(user),
        )

    @property
    def case_id(self) -> UUID:
        return self.case.id

    @property
    def is_case_team(self) -> bool:
        """Who records the case's parties and consents: its mediators, and the coordination too
        (intake happens before mediators are assigned)."""
        return self.role in {CaseRole.ASSIGNED_MEDIATOR, CaseRole.COORDINATOR}

    @property
    def is_closed(self) -> bool:
        """Closed (or archived): the case's records are read-only until it is reopened."""
        return self.case.status in CLOSED | FINAL

    @property
    def may_change_records(self) -> bool:
        """Whether the pages offer adding and editing the case's records at all (the roles decide the rest)."""
        return self.role is not CaseRole.NONE and not self.is_closed

    def ensure_writable(self, write: Write) -> None:
        """409 naming the status for a write a closed or archived case does not take.

        The one check for every area (parties, sessions, notes, agreements, items, requests, case
        data): `load_case(..., for_write=True)` applies it before any service sees the case. Status
        transitions still work on a closed case (reopening, the archiving job); archived is final.
        """
        status = m.CaseStatus(self.case.status)
        extra = {"case_status": status.value, "case_status_label": STATUS_LABELS[status]}
        if status in FINAL:
            raise Conflict(_("Archivierte Fälle können nicht mehr geändert werden."), extra=extra)
        if write is Write.RECORDS and status in CLOSED:
            raise Conflict(
                _("Der Fall ist „%(status)s“ und kann erst nach dem Wiederöffnen geändert werden.")
                % {"status": STATUS_LABELS[status]},
                extra=extra,
            )

    def may_write_note(self, tier: m.NoteTier) -> bool:
        """Mediator-private notes are written by the case's mediators only (§ 4 MediationsG)."""
        if tier is m.NoteTier.MEDIATOR_PRIVATE:
            return self.role is CaseRole.ASSIGNED_MEDIATOR
        return self.role is not CaseRole.NONE

    @property
    def attachment_tiers(self) -> list[m.AttachmentTier]:
        """Attachments are read by the notes' tier rule (the tiers share their values)."""
        return [tier for tier in m.AttachmentTier if m.NoteTier(tier.value) in self.note_tiers]

    def may_attach(self, tier: m.AttachmentTier) -> bool:
        """And written by it: mediator-private files are added by the case's mediators only."""
        return self.may_write_note(m.NoteTier(tier.value))

    def may_remove_attachment(self, uploaded_by_id: UUID | None) -> bool:
        """Who added a file may take it back; the coordination may remove any it can see."""
        return self.may_coordinate or (uploaded_by_id is not None and uploaded_by_id == self.user.id)


class Authority(StrEnum):
    DIRECT = "direct"
    OVERRIDE = "override"  # a coordinator taking a mediator's step: explicit, with a reason, audited


def transition_authority(access: CaseAccess, transition: Transition) -> Authority | None:
    """How this user may perform `transition` on this case, if at all (DESIGN.md §3)."""
    actors = transition.actors
    if access.role is CaseRole.ASSIGNED_MEDIATOR and Actor.MEDIATOR in actors:
        return Authority.DIRECT
    if access.may_coordinate:
        if Actor.COORDINATOR in actors:
            return Authority.DIRECT
        if Actor.MEDIATOR in actors:
            return Authority.OVERRIDE
    return None
