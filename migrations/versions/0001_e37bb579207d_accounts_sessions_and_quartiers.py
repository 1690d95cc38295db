"""accounts, sessions and quartiers

Revision ID: e37bb579207d
Revises: 
Create Date: 2026-11-22 22:42:29.403028
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

# Autogenerate renders advanced-alchemy types with the `sa.` prefix.
sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = 'e37bb579207d'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('stadtbezirk',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stadtbezirk')),
    sa.UniqueConstraint('code', name=op.f('uq_stadtbezirk_code')),
    sa.UniqueConstraint('name', name=op.f('uq_stadtbezirk_name'))
    )
    op.create_table('store_entry',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('namespace', sa.String(length=255), nullable=False),
    sa.Column('value', sa.LargeBinary(), nullable=False),
    sa.Column('expires_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_entry')),
    sa.UniqueConstraint('key', 'namespace', name='uq_store_entry_key_namespace')
    )
    with op.batch_alter_table('store_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_store_entry_expires_at'), ['expires_at'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password', sa.String(length=255), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('api_token',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('user_id', sa.GUID(length=16), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('hint', sa.String(length=12), nullable=False),
    sa.Column('last_used_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_api_token_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_token_token_hash'))
    )
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_token_user_id'), ['user_id'], unique=False)

    op.create_table('quartier',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('stadtbezirk_id', sa.GUID(length=16), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['stadtbezirk_id'], ['stadtbezirk.id'], name=op.f('fk_quartier_stadtbezirk_id_stadtbezirk'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quartier')),
    sa.UniqueConstraint('code', name=op.f('uq_quartier_code')),
    sa.UniqueConstraint('name', name=op.f('uq_quartier_name'))
    )
    with op.batch_alter_table('quartier', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quartier_stadtbezirk_id'), ['stadtbezirk_id'], unique=False)

    op.create_table('user_role',
    sa.Column('user_id', sa.GUID(length=16), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role'))
    )


def downgrade() -> None:
    op.drop_table('user_role')
    with op.batch_alter_table('quartier', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quartier_stadtbezirk_id'))

    op.drop_table('quartier')
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_token_user_id'))

    op.drop_table('api_token')
    op.drop_table('user_account')
    with op.batch_alter_table('store_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_store_entry_expires_at'))

    op.drop_table('store_entry')
    op.drop_table('stadtbezirk')
