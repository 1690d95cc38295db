"""Who may use the privacy functions (DESIGN.md §4, §5): the one place for these rules."""

from __future__ import annotations

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.cases.access import CaseAccess, CaseRole


def may_manage_policies(user: Principal) -> bool:
    """Retention policies, the deletion log, the retention preview and the record of processing."""
    return user.has_role(m.Role.ADMIN)


def may_hold(access: CaseAccess) -> bool:
    """Placing or lifting a legal hold is the coordination's decision."""
    return access.may_coordinate


def may_export(access: CaseAccess) -> bool:
    """Art. 15 export: the case's mediators and the coordination."""
    return access.role in {CaseRole.ASSIGNED_MEDIATOR, CaseRole.COORDINATOR}


def may_erase(access: CaseAccess) -> bool:
    """Art. 17 erasure: the coordination, with a reason and an explicit confirmation."""
    return access.may_coordinate


def may_request_erasure(user: Principal) -> bool:
    """Whether a party page offers "Löschen (Art. 17)" (the service decides per case with `may_erase`)."""
    return user.has_role(m.Role.COORDINATOR)
