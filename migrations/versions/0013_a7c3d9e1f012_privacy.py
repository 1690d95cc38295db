"""privacy: retention policies (versioned), deletion log, erasable event reasons (digest in the hash)

The audit chain's hash now covers a digest of each event's reason instead of the text, so that a
reason can be erased and the chain still verifies (domain/audit/chain.py). Existing chains are
verified with the old rule and re-hashed with the new one here; a chain that does not verify under
the old rule stops the migration (nothing is re-hashed over a broken link).

Revision ID: a7c3d9e1f012
Revises: a3c7d9e1f012
Create Date: 2026-12-01 03:45:00
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = "a7c3d9e1f012"
down_revision = "a3c7d9e1f012"
branch_labels = None
depends_on = None

GENESIS = "0" * 64

_events = sa.table(
    "case_event",
    sa.column("id", GUID(length=16)),
    sa.column("case_id", GUID(length=16)),
    sa.column("seq", sa.Integer()),
    sa.column("occurred_at", DateTimeUTC(timezone=True)),
    sa.column("actor_id", GUID(length=16)),
    sa.column("action", sa.String()),
    sa.column("from_status", sa.String()),
    sa.column("to_status", sa.String()),
    sa.column("reason", sa.Text()),
    sa.column("details", sa.JSON()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def _canonical(value: Any) -> Any:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def _hash(row: Any, prev_hash: str, *, digest_reason: bool) -> str:
    reason = row.reason
    if digest_reason and reason is not None:
        reason = hashlib.sha256(f"{row.case_id}:{row.seq}:{reason}".encode()).hexdigest()
    payload = {
        "case_id": row.case_id,
        "seq": row.seq,
        "occurred_at": row.occurred_at,
        "actor_id": row.actor_id,
        "action": row.action,
        "from_status": row.from_status,
        "to_status": row.to_status,
        "reason": reason,
        "details": row.details,
        "prev_hash": prev_hash,
    }
    encoded = json.dumps({k: _canonical(v) for k, v in payload.items()}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _rehash(*, to_digest: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_events).order_by(_events.c.case_id, _events.c.seq)).all()
    case_id, old_prev, new_prev = None, GENESIS, GENESIS
    for row in rows:
        if row.case_id != case_id:
            case_id, old_prev, new_prev = row.case_id, GENESIS, GENESIS
        if row.prev_hash != old_prev or _hash(row, old_prev, digest_reason=not to_digest) != row.hash:
            msg = f"audit chain of case {row.case_id} is broken at event {row.seq}: run `audit verify` first"
            raise RuntimeError(msg)
        new_hash = _hash(row, new_prev, digest_reason=to_digest)
        bind.execute(sa.update(_events).where(_events.c.id == row.id).values(prev_hash=new_prev, hash=new_hash))
        old_prev, new_prev = row.hash, new_hash


def upgrade() -> None:
    op.create_table(
        "retention_policy",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("data_class", sa.String(length=30), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("changed_by_id", sa.GUID(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_retention_policy_changed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_policy")),
        sa.UniqueConstraint("data_class", "policy_version", name=op.f("uq_retention_policy_data_class")),
    )
    op.create_table(
        "deletion_log",
        sa.Column("id", sa.GUID(length=16), nullable=False),
        sa.Column("run_id", sa.GUID(length=16), nullable=False),
        sa.Column("performed_at", sa.DateTimeUTC(timezone=True), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("data_class", sa.String(length=30), nullable=False),
        sa.Column("case_reference", sa.String(length=20), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.Integer(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deletion_log")),
    )
    with op.batch_alter_table("deletion_log", schema=None) as batch_op:
        batch_op.create_index("ix_deletion_log_performed_at", ["performed_at"], unique=False)
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason_digest", sa.String(length=64), nullable=True))
    _rehash(to_digest=True)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM case_event WHERE reason_digest IS NOT NULL")).scalar():
        msg = "erased event reasons cannot be restored: the old hash rule needs the text"
        raise RuntimeError(msg)
    _rehash(to_digest=False)
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_column("reason_digest")
    with op.batch_alter_table("deletion_log", schema=None) as batch_op:
        batch_op.drop_index("ix_deletion_log_performed_at")
    op.drop_table("deletion_log")
    op.drop_table("retention_policy")
