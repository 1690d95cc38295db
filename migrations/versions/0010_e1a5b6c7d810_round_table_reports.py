"""round-table reports: frozen snapshots, reviewed and sent

Revision ID: e1a5b6c7d810
Revises: d9f4a5b6c709
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

# Autogenerate renders advanced-alchemy types with the `sa.` prefix.
sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = "e1a5b6c7d810"
down_revision = "d9f4a5b6c709"
branch_labels = None
depends_on = None


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["user_account.id"],
        name=op.f(f"fk_round_table_report_{column}_user_account"),
        ondelete="SET NULL",
    )


def upgrade() -> None:
    op.create_table(
        "round_table_report",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("round_table_id", sa.GUID(length=16), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("reviewed_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("reviewed_at", sa.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("sent_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("sent_at", sa.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_table_id"],
            ["round_table.id"],
            name=op.f("fk_round_table_report_round_table_id_round_table"),
            ondelete="CASCADE",
        ),
        _user_fk("created_by_id"),
        _user_fk("reviewed_by_id"),
        _user_fk("sent_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_table_report")),
        sa.UniqueConstraint("round_table_id", "period", name=op.f("uq_round_table_report_round_table_id")),
    )
    with op.batch_alter_table("round_table_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_table_report_round_table_id"), ["round_table_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_table_report", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_table_report_round_table_id"))
    op.drop_table("round_table_report")
