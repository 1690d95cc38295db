"""statistics publications

Revision ID: a6c1d2e3f406
Revises: d41f7b2c9e05
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

# Autogenerate renders advanced-alchemy types with the `sa.` prefix.
sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = "a6c1d2e3f406"
down_revision = "d41f7b2c9e05"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "statistics_publication",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("table_code", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("ptable_sha256", sa.String(length=64), nullable=False),
        sa.Column("snapshot_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_statistics_publication_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_publication")),
        sa.UniqueConstraint("table_code", "period", name=op.f("uq_statistics_publication_table_code")),
    )
    with op.batch_alter_table("statistics_publication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statistics_publication_period"), ["period"], unique=False)

    op.create_table(
        "statistics_cell",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("publication_id", sa.GUID(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("dimension_values", sa.JSON(), nullable=False),
        sa.Column("dimension_labels", sa.JSON(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("display", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["statistics_publication.id"],
            name=op.f("fk_statistics_cell_publication_id_statistics_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statistics_cell")),
        sa.UniqueConstraint("publication_id", "position", name=op.f("uq_statistics_cell_publication_id")),
    )


def downgrade() -> None:
    op.drop_table("statistics_cell")
    with op.batch_alter_table("statistics_publication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statistics_publication_period"))
    op.drop_table("statistics_publication")
