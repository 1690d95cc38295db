"""statistics publications: provisional, withdrawn (who, when, why); unique only while not withdrawn

Revision ID: f2b6c7d8e911
Revises: e1a5b6c7d810
Create Date: 2026-11-30 23:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "f2b6c7d8e911"
down_revision = "e1a5b6c7d810"
branch_labels = None
depends_on = None

LIVE = sa.text("withdrawn_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("statistics_publication", schema=None) as batch_op:
        batch_op.add_column(sa.Column("provisional", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("withdrawn_at", DateTimeUTC(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("withdrawn_by_id", GUID(length=16), nullable=True))
        batch_op.add_column(sa.Column("withdrawal_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_statistics_publication_withdrawn_by_id_user_account"),
            "user_account",
            ["withdrawn_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("uq_statistics_publication_table_code"), type_="unique")
        batch_op.create_index(
            "uq_statistics_publication_live",
            ["table_code", "period"],
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )
    with op.batch_alter_table("statistics_publication", schema=None) as batch_op:
        # The default only filled the existing rows; the model sets the value on every insert.
        batch_op.alter_column("provisional", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("statistics_publication", schema=None) as batch_op:
        batch_op.drop_index("uq_statistics_publication_live")
        batch_op.create_unique_constraint(
            batch_op.f("uq_statistics_publication_table_code"), ["table_code", "period"]
        )
        batch_op.drop_constraint(
            batch_op.f("fk_statistics_publication_withdrawn_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("withdrawal_reason")
        batch_op.drop_column("withdrawn_by_id")
        batch_op.drop_column("withdrawn_at")
        batch_op.drop_column("provisional")
