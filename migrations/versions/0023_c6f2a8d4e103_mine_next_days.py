"""Meine Fälle at city scale: each mediator link carries its open case's next day and reference

Revision ID: c6f2a8d4e103
Revises: c4e8a1f3d920
Create Date: 2026-12-01 14:00:00

Meine Fälle ranked every open case of a mediator by its next date on each request, with a probe of the
case's planned sessions each (~57 ms for the benchmark's ~6,700 open cases at 10^6). `case_mediator`
now carries `case_open` (the case's status in the OPEN set of `domain/cases/workflow.py`), `next_day`
(the earliest of its planned sessions' Berlin day, its Wiedervorlage and its follow-up) and
`case_reference`, kept in step by the application with every flush (`domain/cases/next_days.py`) and
filled here from the rows there are. The partial index over the open cases' links serves a page as a
range in its order and both counts of the page from the index alone. The index is built after the
backfill (one pass over the table instead of an index update per row).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from konfliktmanagement.db.dates import berlin_date, earliest_date

revision = "c6f2a8d4e103"
down_revision = "c4e8a1f3d920"
branch_labels = None
depends_on = None

OPEN = ("eingegangen", "in_klaerung", "vorgespraeche", "in_mediation", "vereinbarung", "nachbetreuung", "ruhend")
INDEX = "ix_case_mediator_open_next_day"
COLUMNS = ["user_id", "next_day", "case_reference", "case_id"]
PREDICATE: dict[str, Any] = {"postgresql_where": sa.text("case_open"), "sqlite_where": sa.text("case_open = 1")}

case_mediator = sa.table(
    "case_mediator",
    sa.column("case_id"),
    sa.column("case_open", sa.Boolean()),
    sa.column("next_day", sa.Date()),
    sa.column("case_reference", sa.String()),
)
case_file = sa.table(
    "case_file",
    sa.column("id"),
    sa.column("status", sa.String()),
    sa.column("reference", sa.String()),
    sa.column("resubmission_date", sa.Date()),
    sa.column("follow_up_date", sa.Date()),
)
mediation_session = sa.table(
    "mediation_session", sa.column("case_id"), sa.column("status", sa.String()), sa.column("scheduled_at")
)


def upgrade() -> None:
    # Plain ADD COLUMNs on both databases (SQLite allows these): no copy of the table.
    op.add_column("case_mediator", sa.Column("case_open", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("case_mediator", sa.Column("next_day", sa.Date(), nullable=True))
    op.add_column("case_mediator", sa.Column("case_reference", sa.String(length=20), nullable=True))
    planned = (
        sa.select(sa.func.min(berlin_date(mediation_session.c.scheduled_at)))
        .where(
            mediation_session.c.case_id == case_file.c.id,
            mediation_session.c.status == "geplant",
            mediation_session.c.scheduled_at.is_not(None),
        )
        .correlate(case_file)
        .scalar_subquery()
    )
    op.execute(
        case_mediator.update()
        .where(case_mediator.c.case_id == case_file.c.id)
        .values(
            case_open=case_file.c.status.in_(OPEN),
            next_day=earliest_date(planned, case_file.c.resubmission_date, case_file.c.follow_up_date),
            case_reference=case_file.c.reference,
        )
    )
    op.create_index(INDEX, "case_mediator", COLUMNS, **PREDICATE)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="case_mediator")
    with op.batch_alter_table("case_mediator") as batch:
        batch.drop_column("case_reference")
        batch.drop_column("next_day")
        batch.drop_column("case_open")
