"""dashboard at city scale: closed cases per day, and two indexes no query uses any more

Revision ID: c8b3d5e7f924
Revises: c6f2a8d4e103
Create Date: 2026-12-01 16:00:00

The dashboard's recently closed groups counted every case closed in the last 30 days on each request
(15 ms at 10^6 cases through `ix_case_file_closed_recent`). `case_closed_day` holds those counts per
Berlin day of closing, quartier, status and outcome (`''` without one), kept in step by the
application in the transaction that closes, reopens, archives, moves or deletes a case
(domain/cases/counts.py); it is filled here from the closed cases there are. The dashboard reads the
last 30 days' rows: at most a few hundred, however many cases the city has.

`ix_case_file_closed_recent` served only that count. `ix_case_file_open_dates` served Meine Fälle's
ranking until migration 0023 moved it onto `case_mediator`; no list reads it any more (EXPLAIN of
every list, and `pg_stat_user_indexes` after the benchmark's scenarios). Both cost a write on every
case that opens or closes.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

from konfliktmanagement.db.dates import berlin_date

revision = "c8b3d5e7f924"
down_revision = "c6f2a8d4e103"
branch_labels = None
depends_on = None

OPEN = (
    "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung', "
    "'ruhend')"
)
CLOSED = ("abgeschlossen", "eingestellt", "weitergeleitet", "nicht_angenommen")
KEY = ("day", "quartier_key", "status", "outcome")

case_file = sa.table(
    "case_file",
    sa.column("quartier_id", GUID(length=16)),
    sa.column("status", sa.String()),
    sa.column("outcome", sa.String()),
    sa.column("closed_at", sa.DateTime(timezone=True)),
)
case_closed_day = sa.table(
    "case_closed_day",
    *(sa.column(name) for name in KEY),
    sa.column("n", sa.Integer()),
)


def _partial(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


def upgrade() -> None:
    op.create_table(
        "case_closed_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quartier_key", GUID(length=16), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_case_closed_day")),
    )
    # Literals, not bound values: GROUP BY must repeat the selected expressions exactly.
    no_quartier = "X'00000000000000000000000000000000'"
    if op.get_bind().dialect.name == "postgresql":
        no_quartier = "'00000000-0000-0000-0000-000000000000'::uuid"
    day = berlin_date(case_file.c.closed_at)
    quartier_key = sa.func.coalesce(case_file.c.quartier_id, sa.literal_column(no_quartier))
    outcome = sa.func.coalesce(case_file.c.outcome, sa.literal_column("''"))
    op.execute(
        case_closed_day.insert().from_select(
            [*KEY, "n"],
            sa.select(day, quartier_key, case_file.c.status, outcome, sa.func.count())
            .where(case_file.c.status.in_(CLOSED), case_file.c.closed_at.is_not(None))
            .group_by(day, quartier_key, case_file.c.status, outcome)
            # In key order: a range of days is then a few adjacent pages of the table.
            .order_by(day, quartier_key, case_file.c.status, outcome),
        )
    )
    if op.get_bind().dialect.name == "postgresql":
        # Statistics now: until autovacuum comes round the planner would guess and scan the whole table.
        op.execute("ANALYZE case_closed_day")
    op.drop_index("ix_case_file_closed_recent", table_name="case_file")
    op.drop_index("ix_case_file_open_dates", table_name="case_file")


def downgrade() -> None:
    closed = "status IN (" + ", ".join(f"'{s}'" for s in CLOSED) + ")"
    op.create_index(
        "ix_case_file_open_dates",
        "case_file",
        ["id"],
        postgresql_include=["reference", "resubmission_date", "follow_up_date"],
        **_partial(OPEN),
    )
    op.create_index(
        "ix_case_file_closed_recent", "case_file", ["closed_at", "status", "outcome", "id"], **_partial(closed)
    )
    op.drop_table("case_closed_day")
