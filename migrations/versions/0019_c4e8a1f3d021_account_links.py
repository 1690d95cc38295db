"""account links: invitations and password resets by e-mail; a forced password change after an admin reset

Revision ID: c4e8a1f3d021
Revises: c9e5a1b3d419
Create Date: 2026-12-01 11:00:00

`account_link` holds one-time links that set an account's password (only their SHA-256);
`user_account.must_change_password` is set when an admin resets a password.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

revision = "c4e8a1f3d021"
down_revision = "c9e5a1b3d419"
branch_labels = None
depends_on = None


def _when(name: str, *, required: bool = True) -> sa.Column[object]:
    return sa.Column(name, DateTimeUTC(timezone=True), nullable=not required)


def upgrade() -> None:
    op.create_table(
        "account_link",
        sa.Column("id", GUID(length=16), nullable=False),
        sa.Column("user_id", GUID(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _when("expires_at"),
        _when("used_at", required=False),
        _when("revoked_at", required=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_account_link_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_link_token_hash")),
    )
    with op.batch_alter_table("account_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_link_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
    with op.batch_alter_table("account_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_link_user_id"))
    op.drop_table("account_link")
