"""reference data version: one counter row, bumped on every change of what the choosers offer

Revision ID: a3c7d9e1f012
Revises: f2b6c7d8e911
Create Date: 2026-12-01 04:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a3c7d9e1f012"
down_revision = "f2b6c7d8e911"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "reference_data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 1}])


def downgrade() -> None:
    op.drop_table("reference_data_version")
