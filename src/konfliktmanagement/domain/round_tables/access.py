"""Who may see and manage round tables and their reports (DESIGN.md §2, §4, §6).

Coordinators manage every round table and see every report, in any state. A member sees only the
round tables they sit at, and of their reports only the sent ones; anything else answers 404, as
if it did not exist. Nobody else sees round tables at all.
"""

from __future__ import annotations

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.guards import requires_role
from konfliktmanagement.domain.accounts.principal import Principal

MANAGER_ROLE = m.Role.COORDINATOR
MEMBER_ROLE = m.Role.ROUND_TABLE_MEMBER

requires_manager = requires_role(MANAGER_ROLE)
requires_member = requires_role(MEMBER_ROLE)


def may_manage(user: Principal) -> bool:
    return user.has_role(MANAGER_ROLE)


def sits_at(user: Principal | m.User, table: m.RoundTable) -> bool:
    """Whether this person (the acting one, or a candidate for membership) is a member of the table."""
    return any(member.user_id == user.id for member in table.members)


def may_read_report(user: Principal, table: m.RoundTable, report: m.RoundTableReport) -> bool:
    if may_manage(user):
        return True
    return sits_at(user, table) and report.state == m.ReportState.VERSENDET.value


def may_join(user: m.User | None) -> bool:
    """Only active users holding the round-table role can be made members."""
    return user is not None and user.is_active and user.has_role(MEMBER_ROLE)
