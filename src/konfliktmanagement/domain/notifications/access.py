"""Who sees a notification: decided when it is read, from its person's current access (DESIGN.md §4).

A notification about a case is visible while its person may read the case — a coordinator always, a
mediator while assigned to it (`cases.access.readable_cases`, the same rule in SQL, correlated on the
notification's own person so one expression serves the list, the header's count and the digest job).
Notifications without a case (a report to review, a failed delivery) are the coordination's alone.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from konfliktmanagement.db import models as m

N = m.Notification
# Where the sign-in query leaves the signed-in user's unread count for the page header (`scope["state"]`).
UNREAD_STATE = "km_unread_notifications"


def _has_role(role: m.Role) -> ColumnElement[bool]:
    # An alias of its own: the sign-in query already joins `user_role`, which must not be correlated here.
    roles = aliased(m.UserRole)
    return exists().where(roles.user_id == N.user_id, roles.role == role.value)


def visible() -> ColumnElement[bool]:
    """A WHERE clause on `Notification`: the rows their own person may see now."""
    links = aliased(m.CaseMediator)
    assigned = exists().where(links.case_id == N.case_id, links.user_id == N.user_id)
    return or_(_has_role(m.Role.COORDINATOR), and_(N.case_id.is_not(None), _has_role(m.Role.MEDIATOR), assigned))


def unread_count() -> ScalarSelect[int]:
    """The signed-in user's unread count, as a column of the sign-in query (no statement of its own)."""
    return (
        select(func.count())
        .select_from(N)
        .where(N.user_id == m.User.id, N.read_at.is_(None), visible())
        .scalar_subquery()
    )
