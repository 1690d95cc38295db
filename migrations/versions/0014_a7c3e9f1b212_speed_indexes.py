"""speed indexes: partial indexes for the dashboard's queues

Revision ID: a7c3e9f1b212
Revises: a7c3d9e1f012
Create Date: 2026-12-01 03:40:00

Each index holds only the cases of one fixed status set, so the dashboard's counts and first pages
cost the size of the queue, not of the city (issue 10). The predicates are the sets of
`domain/cases/workflow.py`, as in `db/models/case.py`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a7c3e9f1b212"
down_revision = "a7c3d9e1f012"
branch_labels = None
depends_on = None

ACTIVE = "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung')"
CLOSED = "status IN ('abgeschlossen', 'eingestellt', 'weitergeleitet', 'nicht_angenommen')"
INDEXES = (
    ("ix_case_file_intake", ["created_at", "id"], "status = 'eingegangen'"),
    ("ix_case_file_on_hold", ["resubmission_date", "id"], "status = 'ruhend'"),
    ("ix_case_file_active_follow_up", ["follow_up_date", "id"], ACTIVE),
    ("ix_case_file_active", ["id"], ACTIVE),
    ("ix_case_file_closed_recent", ["closed_at", "status", "outcome", "id"], CLOSED),
)


def upgrade() -> None:
    for name, columns, predicate in INDEXES:
        op.create_index(
            name,
            "case_file",
            columns,
            unique=False,
            postgresql_where=sa.text(predicate),
            sqlite_where=sa.text(predicate),
        )


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name="case_file")
