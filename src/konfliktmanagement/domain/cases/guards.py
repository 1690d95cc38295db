from __future__ import annotations

from konfliktmanagement.db.models import Role
from konfliktmanagement.domain.accounts.guards import requires_role

# Case data is for the case team only: round-table members and admins get 403 on every case route.
requires_case_team = requires_role(Role.COORDINATOR, Role.MEDIATOR)
