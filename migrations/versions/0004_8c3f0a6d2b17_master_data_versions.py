"""master data versions (optimistic locking of Stadtbezirke, quartiers and places)

Revision ID: 8c3f0a6d2b17
Revises: 5b1e2c9d7a41
Create Date: 2026-11-23 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "8c3f0a6d2b17"
down_revision = "5b1e2c9d7a41"
branch_labels = None
depends_on = None

TABLES = ("stadtbezirk", "quartier", "place")


def upgrade() -> None:
    for table in TABLES:
        # A plain-text server default lets SQLite add the column in place: recreating these tables
        # would trip the foreign keys of the quartiers, places and cases that point at them.
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in TABLES:
        # SQLite (>= 3.35) drops a column in place; never copy-and-move a referenced table.
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column("version")
