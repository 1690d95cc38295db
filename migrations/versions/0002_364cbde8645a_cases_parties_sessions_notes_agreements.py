"""cases, parties, sessions, notes, agreements, audit

Revision ID: 364cbde8645a
Revises: e37bb579207d
Create Date: 2026-11-22 22:58:42.255906
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import sqlalchemy as sa
from advanced_alchemy.types import GUID, DateTimeUTC
from alembic import op

# Autogenerate renders advanced-alchemy types with the `sa.` prefix.
sa.GUID = GUID  # type: ignore[attr-defined]
sa.DateTimeUTC = DateTimeUTC  # type: ignore[attr-defined]

revision = '364cbde8645a'
down_revision = 'e37bb579207d'
branch_labels = None
depends_on = None


# The initial code list of conflict types (DESIGN.md §2); admins may add more.
CONFLICT_TYPES = (
    ("laerm", "Lärm"),
    ("muell", "Müll/Verschmutzung"),
    ("nutzung_oeffentlicher_raum", "Nutzung öffentlicher Raum"),
    ("nachbarschaft", "Nachbarschaft"),
    ("sicherheitsempfinden", "Sicherheitsempfinden"),
    ("jugendliche_gruppen", "Jugendliche/Gruppen"),
    ("alkohol_drogen", "Alkohol/Drogen"),
    ("verkehr_parken", "Verkehr/Parken"),
    ("sonstiges", "Sonstiges"),
)


def upgrade() -> None:
    op.create_table('case_reference_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_case_reference_counter'))
    )
    conflict_type = op.create_table('conflict_type',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_type')),
    sa.UniqueConstraint('code', name=op.f('uq_conflict_type_code'))
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        conflict_type,
        [
            {"id": uuid4(), "code": code, "label": label, "sort_order": (i + 1) * 10, "active": True,
             "created_at": now, "updated_at": now}
            for i, (code, label) in enumerate(CONFLICT_TYPES)
        ],
    )
    op.create_table('party',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('pseudonym', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('phone', sa.String(), nullable=True),
    sa.Column('email', sa.String(), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=40), nullable=True),
    sa.Column('group_size_estimate', sa.Integer(), nullable=True),
    sa.Column('erased_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party')),
    sa.UniqueConstraint('pseudonym', name=op.f('uq_party_pseudonym'))
    )
    op.create_table('place',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('quartier_id', sa.GUID(length=16), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'], name=op.f('fk_place_quartier_id_quartier'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place')),
    sa.UniqueConstraint('quartier_id', 'name', name=op.f('uq_place_quartier_id'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_quartier_id'), ['quartier_id'], unique=False)

    op.create_table('case_file',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('conflict_type_id', sa.GUID(length=16), nullable=True),
    sa.Column('quartier_id', sa.GUID(length=16), nullable=True),
    sa.Column('place_id', sa.GUID(length=16), nullable=True),
    sa.Column('referral_source', sa.String(length=30), nullable=False),
    sa.Column('urgency', sa.String(length=10), nullable=False),
    sa.Column('escalation_level', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('phase', sa.String(length=30), nullable=True),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('closure_reason', sa.Text(), nullable=True),
    sa.Column('referral_recipient', sa.String(length=200), nullable=True),
    sa.Column('no_follow_up_reason', sa.Text(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('resume_to', sa.String(length=20), nullable=True),
    sa.Column('resubmission_date', sa.Date(), nullable=True),
    sa.Column('follow_up_date', sa.Date(), nullable=True),
    sa.Column('closed_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('record_key', sa.BigInteger(), nullable=False),
    sa.Column('retention_due_on', sa.Date(), nullable=True),
    sa.Column('legal_hold', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('escalation_level IS NULL OR escalation_level BETWEEN 1 AND 9', name=op.f('ck_case_file_escalation_level')),
    sa.CheckConstraint('record_key BETWEEN 0 AND 4294967295', name=op.f('ck_case_file_record_key')),
    sa.ForeignKeyConstraint(['conflict_type_id'], ['conflict_type.id'], name=op.f('fk_case_file_conflict_type_id_conflict_type')),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_case_file_place_id_place')),
    sa.ForeignKeyConstraint(['quartier_id'], ['quartier.id'], name=op.f('fk_case_file_quartier_id_quartier')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_file')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_file_reference')),
    sa.UniqueConstraint('year', 'sequence', name=op.f('uq_case_file_year'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_conflict_type_id'), ['conflict_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_follow_up_date'), ['follow_up_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_quartier_id'), ['quartier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_resubmission_date'), ['resubmission_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_status'), ['status'], unique=False)

    op.create_table('administration_request',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('department', sa.String(length=160), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_administration_request_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_administration_request'))
    )
    with op.batch_alter_table('administration_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_administration_request_case_id'), ['case_id'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('follow_up_result', sa.String(length=20), nullable=True),
    sa.Column('follow_up_recorded_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_agreement_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_case_id'), ['case_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('actor_id', sa.GUID(length=16), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_case_event_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_event_case_id_case_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event')),
    sa.UniqueConstraint('case_id', 'seq', name=op.f('uq_case_event_case_id'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_mediator',
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('user_id', sa.GUID(length=16), nullable=False),
    sa.Column('assigned_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_mediator_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_case_mediator_user_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('case_id', 'user_id', name=op.f('pk_case_mediator'))
    )
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_mediator_user_id'), ['user_id'], unique=False)

    op.create_table('escalation_record',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 9', name=op.f('ck_escalation_record_level')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_escalation_record_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_escalation_record_recorded_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_record'))
    )
    with op.batch_alter_table('escalation_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_record_case_id'), ['case_id'], unique=False)

    op.create_table('mediation_session',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('scheduled_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('held_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('place_id', sa.GUID(length=16), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('phases', sa.JSON(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_mediation_session_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['place.id'], name=op.f('fk_mediation_session_place_id_place')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_session'))
    )
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_session_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_session_scheduled_at'), ['scheduled_at'], unique=False)

    op.create_table('note',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('author_id', sa.GUID(length=16), nullable=True),
    sa.Column('tier', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('approved_at', sa.DateTimeUTC(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.GUID(length=16), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_note_approved_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_note_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_note_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_note'))
    )
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_note_case_id'), ['case_id'], unique=False)

    op.create_table('participation',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('case_id', sa.GUID(length=16), nullable=False),
    sa.Column('party_id', sa.GUID(length=16), nullable=False),
    sa.Column('alias', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_participation_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_participation_party_id_party'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation')),
    sa.UniqueConstraint('case_id', 'alias', name='uq_participation_case_alias'),
    sa.UniqueConstraint('case_id', 'party_id', name='uq_participation_case_party')
    )
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participation_party_id'), ['party_id'], unique=False)

    op.create_table('agreement_item',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('agreement_id', sa.GUID(length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('responsible', sa.String(length=200), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_item_agreement_id_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_item'))
    )
    with op.batch_alter_table('agreement_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_item_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.GUID(length=16), nullable=False),
    sa.Column('participation_id', sa.GUID(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('sa_orm_sentinel', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTimeUTC(timezone=True), nullable=False),
    sa.CheckConstraint('withdrawn_on IS NULL OR withdrawn_on >= given_on', name=op.f('ck_consent_withdrawn_after_given')),
    sa.ForeignKeyConstraint(['participation_id'], ['participation.id'], name=op.f('fk_consent_participation_id_participation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent')),
    sa.UniqueConstraint('participation_id', 'purpose', name=op.f('uq_consent_participation_id'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_participation_id'), ['participation_id'], unique=False)

    op.create_table('session_attendance',
    sa.Column('session_id', sa.GUID(length=16), nullable=False),
    sa.Column('participation_id', sa.GUID(length=16), nullable=False),
    sa.ForeignKeyConstraint(['participation_id'], ['participation.id'], name=op.f('fk_session_attendance_participation_id_participation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['mediation_session.id'], name=op.f('fk_session_attendance_session_id_mediation_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'participation_id', name=op.f('pk_session_attendance'))
    )
    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_attendance_participation_id'), ['participation_id'], unique=False)

    op.create_table('session_mediator',
    sa.Column('session_id', sa.GUID(length=16), nullable=False),
    sa.Column('user_id', sa.GUID(length=16), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['mediation_session.id'], name=op.f('fk_session_mediator_session_id_mediation_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_session_mediator_user_id_user_account'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_session_mediator'))
    )


def downgrade() -> None:
    op.drop_table('session_mediator')
    with op.batch_alter_table('session_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_attendance_participation_id'))

    op.drop_table('session_attendance')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_participation_id'))

    op.drop_table('consent')
    with op.batch_alter_table('agreement_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_item_agreement_id'))

    op.drop_table('agreement_item')
    with op.batch_alter_table('participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_party_id'))
        batch_op.drop_index(batch_op.f('ix_participation_case_id'))

    op.drop_table('participation')
    with op.batch_alter_table('note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_note_case_id'))

    op.drop_table('note')
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_session_scheduled_at'))
        batch_op.drop_index(batch_op.f('ix_mediation_session_case_id'))

    op.drop_table('mediation_session')
    with op.batch_alter_table('escalation_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_record_case_id'))

    op.drop_table('escalation_record')
    with op.batch_alter_table('case_mediator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_mediator_user_id'))

    op.drop_table('case_mediator')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_case_id'))

    op.drop_table('agreement')
    with op.batch_alter_table('administration_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_administration_request_case_id'))

    op.drop_table('administration_request')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_status'))
        batch_op.drop_index(batch_op.f('ix_case_file_resubmission_date'))
        batch_op.drop_index(batch_op.f('ix_case_file_quartier_id'))
        batch_op.drop_index(batch_op.f('ix_case_file_place_id'))
        batch_op.drop_index(batch_op.f('ix_case_file_follow_up_date'))
        batch_op.drop_index(batch_op.f('ix_case_file_conflict_type_id'))

    op.drop_table('case_file')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_quartier_id'))

    op.drop_table('place')
    op.drop_table('party')
    op.drop_table('conflict_type')
    op.drop_table('case_reference_counter')
