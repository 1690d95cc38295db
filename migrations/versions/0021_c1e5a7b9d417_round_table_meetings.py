"""round-table meetings; a report prepared for a meeting covers the days since the previous one

Revision ID: c1e5a7b9d417
Revises: c2e8f4a6b922
Create Date: 2026-12-01 11:00:00

`round_table_meeting` holds a meeting's date, place, agenda, attending organisations (never persons),
minutes (draft → approved) and next date. A report now belongs to a meeting (`meeting_id`, one report
per meeting) and names the days it covers; `period` stays the year of the published statistics it
shows. The old one-report-per-year rule stays for the reports written before meetings existed (no
`meeting_id`), as a partial unique index, so they remain readable and unique.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "c1e5a7b9d417"
down_revision = "c2e8f4a6b922"
branch_labels = None
depends_on = None

YEARLY = "meeting_id IS NULL"


def _partial(predicate: str) -> dict[str, Any]:
    return {"postgresql_where": sa.text(predicate), "sqlite_where": sa.text(predicate)}


# (column, table it points to, on delete): the round table, who planned the meeting, who approved its minutes
FOREIGN_KEYS = (
    ("round_table_id", "round_table", "CASCADE"),
    ("created_by_id", "user_account", "SET NULL"),
    ("minutes_approved_by_id", "user_account", "SET NULL"),
)


def upgrade() -> None:
    op.create_table(
        "round_table_meeting",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("round_table_id", GUID(length=16), nullable=False),
        sa.Column("starts_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("agenda", sa.JSON(), nullable=False),
        sa.Column("organisations", sa.JSON(), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("minutes_state", sa.String(length=20), nullable=False),
        sa.Column("minutes_approved_by_id", GUID(length=16), nullable=True),
        sa.Column("minutes_approved_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("next_date", sa.Date(), nullable=True),
        sa.Column("created_by_id", GUID(length=16), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        *[
            sa.ForeignKeyConstraint(
                [column], [f"{target}.id"], name=op.f(f"fk_round_table_meeting_{column}_{target}"), ondelete=rule
            )
            for column, target, rule in FOREIGN_KEYS
        ],
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_table_meeting")),
    )
    op.create_index(
        "ix_round_table_meeting_round_table_id_starts_at", "round_table_meeting", ["round_table_id", "starts_at"]
    )
    with op.batch_alter_table("round_table_report", schema=None) as batch_op:
        batch_op.add_column(sa.Column("meeting_id", GUID(length=16), nullable=True))
        batch_op.add_column(sa.Column("covers_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("covers_to", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_round_table_report_meeting_id_round_table_meeting"),
            "round_table_meeting",
            ["meeting_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_unique_constraint(batch_op.f("uq_round_table_report_meeting_id"), ["meeting_id"])
        batch_op.drop_constraint(batch_op.f("uq_round_table_report_round_table_id"), type_="unique")
    op.create_index(
        "uq_round_table_report_year",
        "round_table_report",
        ["round_table_id", "period"],
        unique=True,
        **_partial(YEARLY),
    )


def downgrade() -> None:
    op.drop_index("uq_round_table_report_year", table_name="round_table_report")
    op.execute("DELETE FROM round_table_report WHERE meeting_id IS NOT NULL")
    with op.batch_alter_table("round_table_report", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_round_table_report_round_table_id"), ["round_table_id", "period"]
        )
        batch_op.drop_constraint(batch_op.f("uq_round_table_report_meeting_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_round_table_report_meeting_id_round_table_meeting"), type_="foreignkey")
        batch_op.drop_column("covers_to")
        batch_op.drop_column("covers_from")
        batch_op.drop_column("meeting_id")
    op.drop_index("ix_round_table_meeting_round_table_id_starts_at", table_name="round_table_meeting")
    op.drop_table("round_table_meeting")
