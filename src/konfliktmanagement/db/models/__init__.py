"""All tables, one module each: `from konfliktmanagement.db import models as m`."""

from advanced_alchemy.base import orm_registry

from konfliktmanagement.db.classification import classify
from konfliktmanagement.db.models.account_link import AccountLink, LinkPurpose
from konfliktmanagement.db.models.administration_request import AdministrationRequest, AdministrationRequestStatus
from konfliktmanagement.db.models.agreement import Agreement, FollowUpResult
from konfliktmanagement.db.models.agreement_item import AgreementItem, ItemStatus
from konfliktmanagement.db.models.api_token import ApiToken
from konfliktmanagement.db.models.attachment import Attachment, AttachmentTier, AttachmentType
from konfliktmanagement.db.models.case import (
    Case,
    CaseStatus,
    MediationPhase,
    Outcome,
    ReferralSource,
    Urgency,
)
from konfliktmanagement.db.models.case_count import NO_OUTCOME, NO_QUARTIER, CaseClosedDay, CaseCount, MediatorLoad
from konfliktmanagement.db.models.case_event import CaseEvent
from konfliktmanagement.db.models.case_mediator import CaseMediator
from konfliktmanagement.db.models.case_reference_counter import CaseReferenceCounter
from konfliktmanagement.db.models.case_search import CaseSearch
from konfliktmanagement.db.models.conflict_type import ConflictType
from konfliktmanagement.db.models.consent import Consent, ConsentPurpose
from konfliktmanagement.db.models.deletion_log import DeletionLog
from konfliktmanagement.db.models.escalation_record import EscalationRecord
from konfliktmanagement.db.models.mediation_session import MediationSession, SessionKind, SessionStatus
from konfliktmanagement.db.models.note import Note, NoteTier
from konfliktmanagement.db.models.notification import CalendarFeed, Notification, NotificationKind, NotificationOptOut
from konfliktmanagement.db.models.outbox_attachment import OutboxAttachment
from konfliktmanagement.db.models.outbox_message import OutboxMessage, OutboxState
from konfliktmanagement.db.models.participation import (
    CORE_ROLES,
    Participation,
    ParticipationRole,
    ParticipationStatus,
)
from konfliktmanagement.db.models.party import Party, PartyKind
from konfliktmanagement.db.models.place import Place
from konfliktmanagement.db.models.quartier import Quartier
from konfliktmanagement.db.models.reference_data_version import ReferenceDataVersion
from konfliktmanagement.db.models.retention_policy import RetentionPolicy
from konfliktmanagement.db.models.round_table import RoundTable
from konfliktmanagement.db.models.round_table_meeting import MinutesState, RoundTableMeeting
from konfliktmanagement.db.models.round_table_member import RoundTableMember
from konfliktmanagement.db.models.round_table_quartier import RoundTableQuartier
from konfliktmanagement.db.models.round_table_report import ReportState, RoundTableReport
from konfliktmanagement.db.models.session_attendance import SessionAttendance, SessionMediator
from konfliktmanagement.db.models.stadtbezirk import Stadtbezirk
from konfliktmanagement.db.models.statistics_cell import PublishedCell
from konfliktmanagement.db.models.statistics_publication import StatisticsPublication
from konfliktmanagement.db.models.store_entry import StoreEntry
from konfliktmanagement.db.models.user import Role, User
from konfliktmanagement.db.models.user_role import UserRole

__all__ = (
    "CORE_ROLES",
    "NO_OUTCOME",
    "NO_QUARTIER",
    "AccountLink",
    "AdministrationRequest",
    "AdministrationRequestStatus",
    "Agreement",
    "AgreementItem",
    "ApiToken",
    "Attachment",
    "AttachmentTier",
    "AttachmentType",
    "CalendarFeed",
    "Case",
    "CaseClosedDay",
    "CaseCount",
    "CaseEvent",
    "CaseMediator",
    "CaseReferenceCounter",
    "CaseSearch",
    "CaseStatus",
    "ConflictType",
    "Consent",
    "ConsentPurpose",
    "DeletionLog",
    "EscalationRecord",
    "FollowUpResult",
    "ItemStatus",
    "LinkPurpose",
    "MediationPhase",
    "MediationSession",
    "MediatorLoad",
    "MinutesState",
    "Note",
    "NoteTier",
    "Notification",
    "NotificationKind",
    "NotificationOptOut",
    "OutboxAttachment",
    "OutboxMessage",
    "OutboxState",
    "Outcome",
    "Participation",
    "ParticipationRole",
    "ParticipationStatus",
    "Party",
    "PartyKind",
    "Place",
    "PublishedCell",
    "Quartier",
    "ReferenceDataVersion",
    "ReferralSource",
    "ReportState",
    "RetentionPolicy",
    "Role",
    "RoundTable",
    "RoundTableMeeting",
    "RoundTableMember",
    "RoundTableQuartier",
    "RoundTableReport",
    "SessionAttendance",
    "SessionKind",
    "SessionMediator",
    "SessionStatus",
    "Stadtbezirk",
    "StatisticsPublication",
    "StoreEntry",
    "Urgency",
    "User",
    "UserRole",
)

# Every column's privacy classification into the metadata (db/classification.py).
classify(orm_registry.metadata)
