"""notifications, per-kind e-mail opt-outs and personal calendar feeds

Revision ID: c9e5a1b3d418
Revises: b8d4f0a2c323
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = "c9e5a1b3d418"
down_revision = "b8d4f0a2c323"
branch_labels = None
depends_on = None


def _audit_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
    ]


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["user_account.id"], name=op.f(f"fk_{table}_user_id_user_account"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("user_id", sa.GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("case_id", sa.GUID(length=16), nullable=True),
        sa.Column("subject_id", sa.GUID(length=16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("link", sa.String(length=200), nullable=False),
        sa.Column("read_at", sa.DateTimeUTC(timezone=True), nullable=True),
        sa.Column("digested_on", sa.Date(), nullable=True),
        *_audit_columns(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_notification_case_id_case_file"), ondelete="CASCADE"
        ),
        _user_fk("notification"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_notification_user_id")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_case_id"), ["case_id"], unique=False)
        batch_op.create_index("ix_notification_user_id_read_at", ["user_id", "read_at"], unique=False)
    op.create_table(
        "notification_opt_out",
        sa.Column("user_id", sa.GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        _user_fk("notification_opt_out"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_opt_out")),
    )
    op.create_table(
        "calendar_feed",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("user_id", sa.GUID(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=12), nullable=False),
        sa.Column("revoked_at", sa.DateTimeUTC(timezone=True), nullable=True),
        *_audit_columns(),
        _user_fk("calendar_feed"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),
    )
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_feed_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_user_id"))
    op.drop_table("calendar_feed")
    op.drop_table("notification_opt_out")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_user_id_read_at")
        batch_op.drop_index(batch_op.f("ix_notification_case_id"))
    op.drop_table("notification")
