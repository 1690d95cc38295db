"""notifications, per-kind e-mail opt-outs and personal calendar feeds

Revision ID: c9e5a1b3d418
Revises: b8d4f0a2c323
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision, down_revision = "c9e5a1b3d418", "b8d4f0a2c323"
branch_labels = depends_on = None


def _personal_table(table: str, *columns: sa.Column[object], constraints: tuple[object, ...] = ()) -> None:
    """A table of one person's rows: UUID key, `user_id` (deleted with the account), the audit columns."""
    op.create_table(
        table,
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        *columns,
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", DateTimeUTC(timezone=True), nullable=False),
        _user_fk(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        *constraints,  # type: ignore[arg-type]
    )


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["user_account.id"], name=op.f(f"fk_{table}_user_id_user_account"), ondelete="CASCADE"
    )


INDEXES = {
    "notification": {"ix_notification_case_id": ["case_id"], "ix_notification_user_id_read_at": ["user_id", "read_at"]},
    "calendar_feed": {"ix_calendar_feed_user_id": ["user_id"]},
}


def upgrade() -> None:
    _personal_table(
        "notification",
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("case_id", GUID(length=16), nullable=True),
        sa.Column("subject_id", GUID(length=16), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("link", sa.String(length=200), nullable=False),
        sa.Column("read_at", DateTimeUTC(timezone=True), nullable=True),
        sa.Column("digested_on", sa.Date(), nullable=True),
        constraints=(
            sa.ForeignKeyConstraint(
                ["case_id"], ["case_file.id"], name=op.f("fk_notification_case_id_case_file"), ondelete="CASCADE"
            ),
            sa.UniqueConstraint("user_id", "key", name=op.f("uq_notification_user_id")),
        ),
    )
    op.create_table(
        "notification_opt_out",
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        _user_fk("notification_opt_out"),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_opt_out")),
    )
    _personal_table(
        "calendar_feed",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=12), nullable=False),
        sa.Column("revoked_at", DateTimeUTC(timezone=True), nullable=True),
        constraints=(sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_hash")),),
    )
    for table, indexes in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, columns in indexes.items():
                batch_op.create_index(name, columns, unique=False)


def downgrade() -> None:
    for table in ("calendar_feed", "notification_opt_out", "notification"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in INDEXES.get(table, {}):
                batch_op.drop_index(name)
        op.drop_table(table)
