"""dashboard at city scale: counts per (quartier, status) and per mediator, open queues, who recorded a case

Revision ID: c4e8a1f3d920
Revises: c1e5a7b9d417
Create Date: 2026-12-01 11:00:00

The dashboard's status × quartier matrix and its intake count read every case (a GROUP BY over
10^6 rows). `case_count` holds those counts, kept in step by the application in the transaction that
creates, moves or deletes a case (domain/cases/counts.py); it is filled here from the cases there are.
The mediators' workload (active cases each) read every active case's links: `mediator_load` holds it.
The overdue Wiedervorlagen and follow-ups are now those of every open case (on hold or active), each
served by a partial index over the OPEN set of `domain/cases/workflow.py` (replacing the follow-up
index over ACTIVE). `recorded_by_id` names the mediator who recorded a case, for the intake's mark.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

revision = "c4e8a1f3d920"
down_revision = "c1e5a7b9d417"
branch_labels = None
depends_on = None

OPEN = (
    "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung', "
    "'ruhend')"
)
ACTIVE = "status IN ('eingegangen', 'in_klaerung', 'vorgespraeche', 'in_mediation', 'vereinbarung', 'nachbetreuung')"
FK = "fk_case_file_recorded_by_id_user_account"
INDEXES = (
    ("ix_case_file_open_resubmission", ["resubmission_date", "id"], OPEN),
    ("ix_case_file_open_follow_up", ["follow_up_date", "id"], OPEN),
)


def _partial(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


def _counter(table: str, keys: dict[str, Any], value: str) -> None:
    """A table of counts: its key columns, one integer, the keys as primary key."""
    columns = [sa.Column(name, type_, nullable=False) for name, type_ in keys.items()]
    primary_key = sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{table}"))
    op.create_table(table, *columns, sa.Column(value, sa.Integer(), nullable=False), primary_key)


def upgrade() -> None:
    _counter("case_count", {"quartier_key": GUID(length=16), "status": sa.String(length=20)}, "n")
    no_quartier = "X'00000000000000000000000000000000'"
    if op.get_bind().dialect.name == "postgresql":
        no_quartier = "'00000000-0000-0000-0000-000000000000'::uuid"
    op.execute(
        f"INSERT INTO case_count (quartier_key, status, n) "
        f"SELECT COALESCE(quartier_id, {no_quartier}), status, count(*) FROM case_file "
        f"GROUP BY COALESCE(quartier_id, {no_quartier}), status"
    )
    _counter("mediator_load", {"user_id": GUID(length=16)}, "active_cases")
    op.execute(
        f"INSERT INTO mediator_load (user_id, active_cases) "
        f"SELECT case_mediator.user_id, count(*) FROM case_mediator "
        f"JOIN case_file ON case_file.id = case_mediator.case_id WHERE case_file.{ACTIVE} "
        f"GROUP BY case_mediator.user_id"
    )
    # A plain ADD COLUMN with its reference on both databases (SQLite allows a nullable one): no copy of
    # the table, whose partial indexes a batch rebuild would have to recreate.
    if op.get_bind().dialect.name == "postgresql":
        op.add_column("case_file", sa.Column("recorded_by_id", GUID(length=16), nullable=True))
        op.create_foreign_key(FK, "case_file", "user_account", ["recorded_by_id"], ["id"], ondelete="SET NULL")
    else:
        op.execute(
            f"ALTER TABLE case_file ADD COLUMN recorded_by_id BINARY(16) "
            f"CONSTRAINT {FK} REFERENCES user_account (id) ON DELETE SET NULL"
        )
    op.drop_index("ix_case_file_active_follow_up", table_name="case_file")
    for name, columns, predicate in INDEXES:
        op.create_index(name, "case_file", columns, **_partial(predicate))


def downgrade() -> None:
    for name, _, _ in reversed(INDEXES):
        op.drop_index(name, table_name="case_file")
    op.create_index("ix_case_file_active_follow_up", "case_file", ["follow_up_date", "id"], **_partial(ACTIVE))
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(FK, "case_file", type_="foreignkey")
        op.drop_column("case_file", "recorded_by_id")
    else:
        with op.batch_alter_table("case_file") as batch:
            batch.drop_column("recorded_by_id")
    op.drop_table("mediator_load")
    op.drop_table("case_count")
