"""round tables: their quartiers and members

Revision ID: b7d2e3f4a507
Revises: a6c1d2e3f406
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

# Autogenerate renders advanced-alchemy types with the `sa.` prefix.
sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = "b7d2e3f4a507"
down_revision = "a6c1d2e3f406"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "round_table",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_round_table_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_table")),
        sa.UniqueConstraint("name", name=op.f("uq_round_table_name")),
    )
    op.create_table(
        "round_table_quartier",
        sa.Column("round_table_id", sa.GUID(length=16), nullable=False),
        sa.Column("quartier_id", sa.GUID(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_table_id"],
            ["round_table.id"],
            name=op.f("fk_round_table_quartier_round_table_id_round_table"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["quartier_id"],
            ["quartier.id"],
            name=op.f("fk_round_table_quartier_quartier_id_quartier"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("round_table_id", "quartier_id", name=op.f("pk_round_table_quartier")),
    )
    with op.batch_alter_table("round_table_quartier", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_table_quartier_quartier_id"), ["quartier_id"], unique=False)

    op.create_table(
        "round_table_member",
        sa.Column("round_table_id", sa.GUID(length=16), nullable=False),
        sa.Column("user_id", sa.GUID(length=16), nullable=False),
        sa.Column("organisation", sa.String(length=160), nullable=False),
        sa.Column("added_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_table_id"],
            ["round_table.id"],
            name=op.f("fk_round_table_member_round_table_id_round_table"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_round_table_member_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("round_table_id", "user_id", name=op.f("pk_round_table_member")),
    )
    with op.batch_alter_table("round_table_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_round_table_member_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("round_table_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_table_member_user_id"))
    op.drop_table("round_table_member")
    with op.batch_alter_table("round_table_quartier", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_table_quartier_quartier_id"))
    op.drop_table("round_table_quartier")
    op.drop_table("round_table")
