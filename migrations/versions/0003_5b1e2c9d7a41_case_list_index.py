"""case list sort index

Revision ID: 5b1e2c9d7a41
Revises: 364cbde8645a
Create Date: 2026-11-22 23:30:00
"""

from __future__ import annotations

from alembic import op

revision = "5b1e2c9d7a41"
down_revision = "364cbde8645a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_file_created_at_id", ["created_at", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_file_created_at_id")
