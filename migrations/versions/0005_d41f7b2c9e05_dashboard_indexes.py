"""dashboard indexes

Revision ID: d41f7b2c9e05
Revises: 8c3f0a6d2b17
Create Date: 2026-11-23 02:00:00
"""

from __future__ import annotations

from alembic import op

revision = "d41f7b2c9e05"
down_revision = "8c3f0a6d2b17"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index("ix_case_file_quartier_id_status", ["quartier_id", "status"], unique=False)
        batch_op.create_index("ix_case_file_closed_at", ["closed_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_file_closed_at")
        batch_op.drop_index("ix_case_file_quartier_id_status")
