"""merge the round-table and outbox branches

Revision ID: d9f4a5b6c709
Revises: b7d2e3f4a507, c8e3f4a5b608
Create Date: 2026-11-25 10:30:00
"""

from __future__ import annotations

revision = "d9f4a5b6c709"
down_revision = ("b7d2e3f4a507", "c8e3f4a5b608")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
