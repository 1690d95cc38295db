"""Every column of every table, classified for the record of processing (GDPR Art. 30, DESIGN.md §5).

The classification lives in the model metadata: `classify()` (run when `db.models` is imported) puts a
`Classification` into `column.info["privacy"]` of each column named here. A column that is named nowhere
stays unclassified, and `tests/unit/test_column_classification.py` fails on it — so a new column cannot
slip through without someone deciding whether it is personal, special category, how long it is kept and
what for. The retention classes with a policy (`RetentionClass.policy`) are the ones the retention job
erases (`domain/privacy/retention.py`); the others are kept as long as the record they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import MetaData

INFO_KEY = "privacy"


class RetentionClass(StrEnum):
    # Erased by the retention job, each after its policy's period (domain/privacy/policies.py).
    CONTACT = "contact"  # parties' names, contact data and language
    NOTES = "notes"  # note texts
    MINUTES = "minutes"  # session minutes and where a session took place
    AGREEMENTS = "agreements"  # agreement titles and item texts
    CASE_TEXTS = "case_texts"  # the case's free texts and the reasons in its events
    ADMINISTRATION = "administration"  # administration request texts
    ATTACHMENTS = "attachments"  # files of a case (their names and contents)
    OUTBOX = "outbox"  # e-mail recipients, subjects, bodies and attachments
    SIGN_IN = "sign_in"  # expired sessions, revoked tokens
    # Kept.
    SKELETON = "skeleton"  # the anonymised statistical skeleton of a case (kept after archiving)
    ACCOUNT = "account"  # staff accounts: as long as the account exists
    MASTER_DATA = "master_data"  # quartiers, places, code lists: no personal data
    PUBLICATION = "publication"  # published (perturbed) statistics and round-table reports
    AUDIT = "audit"  # the hash-chained audit trail (its free texts belong to CASE_TEXTS)

    @property
    def policy(self) -> bool:
        return self in POLICY_CLASSES


POLICY_CLASSES = frozenset(
    {
        RetentionClass.CONTACT,
        RetentionClass.NOTES,
        RetentionClass.MINUTES,
        RetentionClass.AGREEMENTS,
        RetentionClass.CASE_TEXTS,
        RetentionClass.ADMINISTRATION,
        RetentionClass.ATTACHMENTS,
        RetentionClass.OUTBOX,
        RetentionClass.SIGN_IN,
    }
)


class Purpose(StrEnum):
    CASE_WORK = "case_work"  # mediation and its documentation (MediationsG, the office's task)
    STATISTICS = "statistics"  # anonymised statistics (DESIGN.md §7)
    ROUND_TABLES = "round_tables"  # reports to round tables (anonymised)
    ACCOUNTS = "accounts"  # staff sign-in and permissions
    AUDIT = "audit"  # accountability (Art. 5(2) GDPR)
    MAIL = "mail"  # delivering reports by e-mail
    MASTER_DATA = "master_data"  # the city's quartiers, places and code lists
    OPERATION = "operation"  # technical keys, versions, timestamps


@dataclass(frozen=True, slots=True)
class Classification:
    personal: bool
    special_category: bool
    retention: RetentionClass
    purpose: Purpose


def _c(retention: RetentionClass, purpose: Purpose, *, personal: bool = False, special: bool = False) -> Classification:
    return Classification(personal=personal or special, special_category=special, retention=retention, purpose=purpose)


R, P = RetentionClass, Purpose
TECH = _c(R.SKELETON, P.OPERATION)
CASE = _c(R.SKELETON, P.CASE_WORK)
STAT = _c(R.SKELETON, P.STATISTICS)
MASTER = _c(R.MASTER_DATA, P.MASTER_DATA)
ACCOUNT = _c(R.ACCOUNT, P.ACCOUNTS)
STAFF = _c(R.ACCOUNT, P.ACCOUNTS, personal=True)  # who did something: a staff member, kept with the record
AUDIT = _c(R.AUDIT, P.AUDIT)
PUBLICATION = _c(R.PUBLICATION, P.STATISTICS)
REPORT = _c(R.PUBLICATION, P.ROUND_TABLES)
MAIL = _c(R.OUTBOX, P.MAIL)
MAIL_PERSONAL = _c(R.OUTBOX, P.MAIL, personal=True)
SIGN_IN = _c(R.SIGN_IN, P.ACCOUNTS, personal=True)
POLICY = _c(R.AUDIT, P.AUDIT)

# The columns every table of advanced-alchemy's bases has.
COMMON = {"id": TECH, "sa_orm_sentinel": TECH, "created_at": TECH, "updated_at": TECH, "version": TECH}

TABLES: dict[str, dict[str, Classification]] = {
    "case_file": {
        "reference": CASE,
        "year": STAT,
        "sequence": CASE,
        "title": _c(R.CASE_TEXTS, P.CASE_WORK, personal=True),
        "description": _c(R.CASE_TEXTS, P.CASE_WORK, special=True),
        "conflict_type_id": STAT,
        "quartier_id": STAT,
        "place_id": STAT,
        "referral_source": STAT,
        "urgency": CASE,
        "escalation_level": CASE,
        "status": STAT,
        "phase": CASE,
        "outcome": STAT,
        "closure_reason": _c(R.CASE_TEXTS, P.CASE_WORK, personal=True),
        "referral_recipient": _c(R.CASE_TEXTS, P.CASE_WORK, personal=True),
        "no_follow_up_reason": _c(R.CASE_TEXTS, P.CASE_WORK, personal=True),
        "reopen_count": CASE,
        "resume_to": CASE,
        "resubmission_date": CASE,
        "follow_up_date": CASE,
        "closed_at": STAT,
        "record_key": STAT,
        "retention_due_on": CASE,
        "legal_hold": CASE,
        "recorded_by_id": STAFF,
    },
    "case_count": {"quartier_key": TECH, "status": TECH, "n": TECH},
    "case_closed_day": {"day": TECH, "quartier_key": TECH, "status": TECH, "outcome": TECH, "n": TECH},
    "mediator_load": {"user_id": STAFF, "active_cases": TECH},
    "case_event": {
        "case_id": AUDIT,
        "seq": AUDIT,
        "occurred_at": AUDIT,
        "actor_id": _c(R.AUDIT, P.AUDIT, personal=True),
        "action": AUDIT,
        "from_status": AUDIT,
        "to_status": AUDIT,
        "reason": _c(R.CASE_TEXTS, P.AUDIT, personal=True),
        "reason_digest": AUDIT,
        "details": AUDIT,
        "prev_hash": AUDIT,
        "hash": AUDIT,
    },
    # The searchable copy of the case's texts (db/search_index.py): rebuilt whenever they change or are erased.
    "case_search": {
        "case_id": CASE,
        "body": _c(R.CASE_TEXTS, P.CASE_WORK, special=True),
        "terms": _c(R.CASE_TEXTS, P.CASE_WORK, special=True),
    },
    # case_open, next_day, case_reference: copies of the case's own data kept for "Meine Fälle".
    "case_mediator": {
        "case_id": CASE,
        "user_id": STAFF,
        "assigned_at": CASE,
        "case_open": CASE,
        "next_day": CASE,
        "case_reference": CASE,
    },
    "case_reference_counter": {"year": TECH, "last_value": TECH},
    "escalation_record": {"case_id": CASE, "level": CASE, "recorded_at": CASE, "recorded_by_id": STAFF},
    "party": {
        "kind": STAT,
        "pseudonym": _c(R.SKELETON, P.CASE_WORK),
        "name": _c(R.CONTACT, P.CASE_WORK, personal=True),
        "phone": _c(R.CONTACT, P.CASE_WORK, personal=True),
        "email": _c(R.CONTACT, P.CASE_WORK, personal=True),
        "address": _c(R.CONTACT, P.CASE_WORK, personal=True),
        "language": _c(R.CONTACT, P.CASE_WORK, personal=True),
        "group_size_estimate": CASE,
        "erased_at": CASE,
    },
    "participation": {"case_id": CASE, "party_id": CASE, "alias": CASE, "role": STAT, "status": CASE},
    "consent": {"participation_id": CASE, "purpose": CASE, "given_on": CASE, "withdrawn_on": CASE},
    "note": {
        "case_id": CASE,
        "author_id": STAFF,
        "tier": CASE,
        "body": _c(R.NOTES, P.CASE_WORK, special=True),
        "approved_at": CASE,
        "approved_by_id": STAFF,
    },
    "mediation_session": {
        "case_id": CASE,
        "kind": STAT,
        "status": STAT,
        "scheduled_at": CASE,
        "held_at": CASE,
        "duration_minutes": CASE,
        "place_id": CASE,
        "location": _c(R.MINUTES, P.CASE_WORK, personal=True),
        "phases": CASE,
        "minutes": _c(R.MINUTES, P.CASE_WORK, special=True),
    },
    "session_attendance": {"session_id": CASE, "participation_id": CASE},
    "session_mediator": {"session_id": CASE, "user_id": STAFF},
    "agreement": {
        "case_id": CASE,
        "title": _c(R.AGREEMENTS, P.CASE_WORK, personal=True),
        "concluded_on": CASE,
        "follow_up_result": STAT,
        "follow_up_recorded_on": CASE,
    },
    "agreement_item": {
        "agreement_id": CASE,
        "position": CASE,
        "responsible": _c(R.AGREEMENTS, P.CASE_WORK, personal=True),
        "action": _c(R.AGREEMENTS, P.CASE_WORK, personal=True),
        "due_on": CASE,
        "status": STAT,
    },
    "administration_request": {
        "case_id": CASE,
        "department": CASE,
        "subject": _c(R.ADMINISTRATION, P.CASE_WORK, personal=True),
        "status": STAT,
        "answer": _c(R.ADMINISTRATION, P.CASE_WORK, personal=True),
        "submitted_on": CASE,
        "answered_on": CASE,
    },
    "attachment": {
        "case_id": CASE,
        "uploaded_by_id": STAFF,
        "tier": CASE,
        "file_name": _c(R.ATTACHMENTS, P.CASE_WORK, personal=True),
        "media_type": CASE,
        "size": CASE,
        # Letters, photos of the place, medical certificates: may hold anything, health data included.
        "content": _c(R.ATTACHMENTS, P.CASE_WORK, special=True),
    },
    "user_account": {
        "email": _c(R.ACCOUNT, P.ACCOUNTS, personal=True),
        "name": _c(R.ACCOUNT, P.ACCOUNTS, personal=True),
        "password": _c(R.ACCOUNT, P.ACCOUNTS, personal=True),
        "is_active": ACCOUNT,
        "must_change_password": ACCOUNT,
    },
    "account_link": {
        "user_id": SIGN_IN,
        "purpose": SIGN_IN,
        "token_hash": SIGN_IN,
        "expires_at": SIGN_IN,
        "used_at": SIGN_IN,
        "revoked_at": SIGN_IN,
    },
    "user_role": {"user_id": ACCOUNT, "role": ACCOUNT},
    "api_token": {
        "user_id": SIGN_IN,
        "label": SIGN_IN,
        "token_hash": SIGN_IN,
        "hint": SIGN_IN,
        "last_used_at": SIGN_IN,
        "revoked_at": SIGN_IN,
    },
    # Notifications hold keys, kinds, dates and links only (no text); kept while their person and case exist.
    "notification": {
        "user_id": STAFF,
        "kind": ACCOUNT,
        "key": ACCOUNT,
        "case_id": CASE,
        "subject_id": TECH,
        "due_on": CASE,
        "link": ACCOUNT,
        "read_at": ACCOUNT,
        "digested_on": ACCOUNT,
    },
    "notification_opt_out": {"user_id": STAFF, "kind": ACCOUNT},
    "calendar_feed": {"user_id": SIGN_IN, "token_hash": SIGN_IN, "hint": SIGN_IN, "revoked_at": SIGN_IN},
    "store_entry": {"key": SIGN_IN, "namespace": SIGN_IN, "value": SIGN_IN, "expires_at": SIGN_IN},
    "stadtbezirk": {"code": MASTER, "name": MASTER},
    "quartier": {"code": MASTER, "name": MASTER, "stadtbezirk_id": MASTER, "boundary": MASTER},
    "place": {"quartier_id": MASTER, "name": MASTER, "latitude": MASTER, "longitude": MASTER},
    "conflict_type": {"code": MASTER, "label": MASTER, "sort_order": MASTER, "active": MASTER},
    "round_table": {"name": REPORT, "description": REPORT, "created_by_id": STAFF},
    "round_table_member": {
        "round_table_id": REPORT,
        "user_id": STAFF,
        "organisation": REPORT,
        "added_at": REPORT,
    },
    "round_table_quartier": {"round_table_id": REPORT, "quartier_id": REPORT},
    "round_table_meeting": {
        "round_table_id": REPORT,
        "starts_at": REPORT,
        "place": REPORT,
        "agenda": REPORT,
        "organisations": REPORT,  # organisations, never persons
        # Written by coordinators for the members; may name who said what at the table.
        "minutes": _c(R.PUBLICATION, P.ROUND_TABLES, personal=True),
        "minutes_state": REPORT,
        "minutes_approved_by_id": STAFF,
        "minutes_approved_at": REPORT,
        "next_date": REPORT,
        "created_by_id": STAFF,
    },
    "round_table_report": {
        "round_table_id": REPORT,
        "period": REPORT,
        "meeting_id": REPORT,
        "covers_from": REPORT,
        "covers_to": REPORT,
        "state": REPORT,
        # Approved shareable note texts, anonymised by the coordinator who approved them.
        "snapshot": _c(R.PUBLICATION, P.ROUND_TABLES, personal=True),
        "created_by_id": STAFF,
        "reviewed_by_id": STAFF,
        "reviewed_at": REPORT,
        "sent_by_id": STAFF,
        "sent_at": REPORT,
    },
    "statistics_publication": {
        "table_code": PUBLICATION,
        "period": PUBLICATION,
        "title": PUBLICATION,
        "dimensions": PUBLICATION,
        "note": PUBLICATION,
        "sensitive": PUBLICATION,
        "ptable_sha256": PUBLICATION,
        "snapshot_at": PUBLICATION,
        "created_by_id": STAFF,
        "provisional": PUBLICATION,
        "withdrawn_at": PUBLICATION,
        "withdrawn_by_id": STAFF,
        "withdrawal_reason": PUBLICATION,
    },
    "statistics_cell": {
        "publication_id": PUBLICATION,
        "position": PUBLICATION,
        "dimension_values": PUBLICATION,
        "dimension_labels": PUBLICATION,
        "value": PUBLICATION,
        "display": PUBLICATION,
        "state": PUBLICATION,
    },
    "outbox_message": {
        "dedupe_key": MAIL,
        "message_id": MAIL,
        "recipients": MAIL_PERSONAL,
        "subject": MAIL,
        "body_text": MAIL_PERSONAL,
        "body_html": MAIL_PERSONAL,
        "state": MAIL,
        "attempts": MAIL,
        "next_attempt_at": MAIL,
        "claimed_at": MAIL,
        "last_error": MAIL,
        "sent_at": MAIL,
    },
    "outbox_attachment": {
        "message_id": MAIL,
        "position": MAIL,
        "filename": MAIL,
        "mime_type": MAIL,
        "content": MAIL_PERSONAL,
    },
    "retention_policy": {
        "data_class": POLICY,
        "policy_version": POLICY,
        "amount": POLICY,
        "unit": POLICY,
        "changed_by_id": STAFF,
        "reason": POLICY,
    },
    "deletion_log": {
        "run_id": AUDIT,
        "performed_at": AUDIT,
        "as_of": AUDIT,
        "trigger": AUDIT,
        "data_class": AUDIT,
        "case_reference": AUDIT,
        "records": AUDIT,
        "policy_version": AUDIT,
    },
}


def classify(metadata: MetaData) -> None:
    """Write each named column's classification into its `info` (unnamed columns stay unclassified)."""
    for table in metadata.tables.values():
        named = TABLES.get(table.name, {})
        for column in table.columns:
            found = named.get(column.name) or COMMON.get(column.name)
            if found is not None:
                column.info[INFO_KEY] = found


def classification_of(column: object) -> Classification | None:
    info = getattr(column, "info", {})
    found = info.get(INFO_KEY)
    return found if isinstance(found, Classification) else None
