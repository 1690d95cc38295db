"""list indexes: a mediator's open cases from indexes alone, the newest closed cases per group

Revision ID: b8d4f0a2c323
Revises: b8d4f0a2c315
Create Date: 2026-12-01 07:00:00

Meine Fälle ranks every open case of a mediator by its next date (issue 10; at 10^6 cases the
benchmark mediator has about 6800). `case_mediator`'s index on `user_id` alone sent each of their
links to the table for its `case_id`, and each case was then read from `case_file`'s heap for three
columns. With `case_id` in the link index and the open cases' dates in a covering partial index of
`case_file` (PostgreSQL's INCLUDE; SQLite gets the plain partial index), both are index-only scans.
The dashboard's newest closed cases of each (status, outcome) are a range of
`ix_case_file_closed_groups` each, instead of a sort of every case closed in the last 30 days. The
predicates are the OPEN and CLOSED sets of `domain/cases/workflow.py`, as in `db/models/case.py`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "b8d4f0a2c323"
down_revision = "b8d4f0a2c315"
branch_labels = None
depends_on = None

OPEN = (
    "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung', "
    "'ruhend')"
)
CLOSED = "status IN ('abgeschlossen', 'eingestellt', 'weitergeleitet', 'nicht_angenommen')"
INDEXES = (
    ("ix_case_file_open_dates", ["id"], OPEN),
    ("ix_case_file_closed_groups", ["status", "outcome", "closed_at", "id"], CLOSED),
)
INCLUDE = {"ix_case_file_open_dates": ["reference", "resubmission_date", "follow_up_date"]}


def _partial(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


def upgrade() -> None:
    op.create_index("ix_case_mediator_user_id_case_id", "case_mediator", ["user_id", "case_id"], unique=False)
    op.drop_index("ix_case_mediator_user_id", table_name="case_mediator")
    for name, columns, predicate in INDEXES:
        op.create_index(name, "case_file", columns, postgresql_include=INCLUDE.get(name, []), **_partial(predicate))


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name="case_file")
    op.create_index("ix_case_mediator_user_id", "case_mediator", ["user_id"], unique=False)
    op.drop_index("ix_case_mediator_user_id_case_id", table_name="case_mediator")
