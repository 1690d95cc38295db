"""The SQL of bench/baseline.py: the app's statements as `KM_DATABASE_ECHO=true` prints them."""

from __future__ import annotations

CASE_COLUMNS = (
    "id, reference, year, sequence, title, description, conflict_type_id, quartier_id, place_id, referral_source, "
    "urgency, escalation_level, status, phase, outcome, closure_reason, referral_recipient, no_follow_up_reason, "
    "reopen_count, resume_to, resubmission_date, follow_up_date, closed_at, record_key, retention_due_on, "
    "legal_hold, version, sa_orm_sentinel, created_at, updated_at"
)
_CASE = ", ".join(f"case_file.{c.strip()}" for c in CASE_COLUMNS.split(","))
USER_COLUMNS = (
    "user_account.id AS user_account_id, user_account.email AS user_account_email, "
    "user_account.name AS user_account_name, user_account.password AS user_account_password, "
    "user_account.is_active AS user_account_is_active, user_account.version AS user_account_version, "
    "user_account.sa_orm_sentinel AS user_account_sa_orm_sentinel, "
    "user_account.created_at AS user_account_created_at, user_account.updated_at AS user_account_updated_at"
)

SQL_TOKEN_USED = (
    "UPDATE api_token SET last_used_at=$1::TIMESTAMP WITH TIME ZONE, updated_at=$2::TIMESTAMP WITH TIME ZONE "
    "WHERE api_token.id = $3::UUID"
)
MEDIATOR_FILTER = (
    "case_file.id IN (SELECT case_mediator.case_id \nFROM case_mediator \nWHERE case_mediator.user_id = {p}::UUID)"
)
SQL_ONE = f"SELECT {_CASE} \nFROM case_file \nWHERE case_file.id = $1::UUID AND {{readable}}"
SQL_PARTICIPATIONS = (
    "SELECT participation.id, participation.case_id, participation.party_id, participation.alias, "
    "participation.role, participation.status, participation.version, participation.sa_orm_sentinel, "
    "participation.created_at, participation.updated_at \nFROM participation \n"
    "WHERE participation.case_id = $1::UUID ORDER BY participation.created_at"
)
SQL_HELD_JOINT = (
    "SELECT count(*) AS count_1 \nFROM mediation_session \nWHERE mediation_session.case_id = $1::UUID "
    "AND mediation_session.kind = $2::VARCHAR AND mediation_session.status = $3::VARCHAR"
)
SQL_ITEMS = (
    "SELECT count(*) AS count_1 \nFROM agreement_item JOIN agreement ON agreement.id = agreement_item.agreement_id \n"
    "WHERE agreement.case_id = $1::UUID"
)
SQL_OPEN_RESULTS = (
    "SELECT count(*) AS count_1 \nFROM agreement \nWHERE agreement.case_id = $1::UUID "
    "AND agreement.follow_up_result IS NULL"
)
SQL_UPDATE_CASE = (
    "UPDATE case_file SET status=$1::VARCHAR, resume_to=$2::VARCHAR, resubmission_date=$3::DATE, "
    "version=$4::INTEGER, updated_at=$5::TIMESTAMP WITH TIME ZONE "
    "WHERE case_file.id = $6::UUID AND case_file.version = $7::INTEGER"
)
SQL_LAST_EVENT = (
    "SELECT case_event.seq, case_event.hash \nFROM case_event \nWHERE case_event.case_id = $1::UUID "
    "ORDER BY case_event.seq DESC \n LIMIT $2::INTEGER"
)
SQL_INSERT_EVENT = (
    "INSERT INTO case_event (id, case_id, seq, occurred_at, actor_id, action, from_status, to_status, reason, "
    "details, prev_hash, hash) VALUES ($1::UUID, $2::UUID, $3::INTEGER, $4::TIMESTAMP WITH TIME ZONE, $5::UUID, "
    "$6::VARCHAR, $7::VARCHAR, $8::VARCHAR, $9::VARCHAR, $10::JSON, $11::VARCHAR, $12::VARCHAR)"
)
# The selectin loads of CASE_DETAIL_LOAD, in the order SQLAlchemy emits them.
SQL_PLACES = (
    "SELECT place.id AS place_id, place.quartier_id AS place_quartier_id, place.name AS place_name, "
    "place.latitude AS place_latitude, place.longitude AS place_longitude, "
    "place.sa_orm_sentinel AS place_sa_orm_sentinel, place.created_at AS place_created_at, "
    "place.updated_at AS place_updated_at \nFROM place \nWHERE place.id IN ({ids})"
)
SQL_LINKS = (
    "SELECT case_mediator.case_id AS case_mediator_case_id, case_mediator.user_id AS case_mediator_user_id, "
    "case_mediator.assigned_at AS case_mediator_assigned_at \nFROM case_mediator \n"
    "WHERE case_mediator.case_id IN ({ids})"
)
SQL_CONFLICT_TYPES = (
    "SELECT conflict_type.id AS conflict_type_id, conflict_type.code AS conflict_type_code, "
    "conflict_type.label AS conflict_type_label, conflict_type.sort_order AS conflict_type_sort_order, "
    "conflict_type.active AS conflict_type_active, conflict_type.sa_orm_sentinel AS conflict_type_sa_orm_sentinel, "
    "conflict_type.created_at AS conflict_type_created_at, conflict_type.updated_at AS conflict_type_updated_at "
    "\nFROM conflict_type \nWHERE conflict_type.id IN ({ids})"
)
SQL_QUARTIERS = (
    "SELECT quartier.id AS quartier_id, quartier.code AS quartier_code, quartier.name AS quartier_name, "
    "quartier.stadtbezirk_id AS quartier_stadtbezirk_id, quartier.sa_orm_sentinel AS quartier_sa_orm_sentinel, "
    "quartier.created_at AS quartier_created_at, quartier.updated_at AS quartier_updated_at \nFROM quartier \n"
    "WHERE quartier.id IN ({ids})"
)
SQL_USERS = f"SELECT {USER_COLUMNS} \nFROM user_account \nWHERE user_account.id IN ({{ids}})"


# The app's statements since the case API reads rows (domain/cases/case_rows.py): authentication in one
# statement (token, user, roles, reference-data version), a case with its names and mediators in one,
# a page of the list with its names, the page's mediators, and a count bounded at COUNT_LIMIT + 1.
SQL_TOKEN_USER = (
    "SELECT api_token.id, api_token.last_used_at, user_role.user_id, user_role.role, "
    "user_account.id AS id_1, user_account.email, user_account.name, user_account.password, "
    "user_account.is_active, user_account.must_change_password, user_account.version, "
    "user_account.sa_orm_sentinel, user_account.created_at, user_account.updated_at, "
    "(SELECT reference_data_version.version \nFROM reference_data_version \nWHERE "
    "reference_data_version.id = $1::INTEGER) AS anon_1 \nFROM api_token "
    "JOIN user_account ON user_account.id = api_token.user_id LEFT OUTER "
    "JOIN user_role ON user_account.id = user_role.user_id \nWHERE api_token.token_hash = $2::VARCHAR "
    "AND api_token.revoked_at IS NULL AND user_account.is_active IS true"
)
SQL_CASE_ROWS = (
    "SELECT case_file.id, case_file.reference, case_file.title, case_file.status, case_file.phase, "
    "case_file.urgency, case_file.resubmission_date, case_file.follow_up_date, "
    "case_file.created_at, case_file.updated_at, case_file.version, case_file.description, "
    "case_file.referral_source, case_file.escalation_level, case_file.outcome, "
    "case_file.closure_reason, case_file.referral_recipient, case_file.no_follow_up_reason, "
    "case_file.reopen_count, case_file.resume_to, case_file.closed_at, case_file.legal_hold, "
    "conflict_type.id AS id_1, conflict_type.code, conflict_type.label, quartier.id AS id_2, "
    "quartier.code AS code_1, quartier.name, place.id AS id_3, place.name AS name_1, "
    "user_account.id AS id_4, user_account.name AS name_2 \nFROM case_file LEFT OUTER "
    "JOIN conflict_type ON conflict_type.id = case_file.conflict_type_id LEFT OUTER "
    "JOIN quartier ON quartier.id = case_file.quartier_id LEFT OUTER "
    "JOIN place ON place.id = case_file.place_id LEFT OUTER "
    "JOIN case_mediator ON case_mediator.case_id = case_file.id LEFT OUTER "
    "JOIN user_account ON user_account.id = case_mediator.user_id \nWHERE case_file.id = $1::UUID AND {readable}"
)
SQL_SUMMARIES = (
    "SELECT case_file.id, case_file.reference, case_file.title, case_file.status, case_file.phase, "
    "case_file.urgency, case_file.resubmission_date, case_file.follow_up_date, "
    "case_file.created_at, case_file.updated_at, case_file.version, conflict_type.id AS id_1, "
    "conflict_type.code, conflict_type.label, quartier.id AS id_2, quartier.code AS code_1, "
    "quartier.name, place.id AS id_3, place.name AS name_1 \nFROM case_file LEFT OUTER "
    "JOIN conflict_type ON conflict_type.id = case_file.conflict_type_id LEFT OUTER "
    "JOIN quartier ON quartier.id = case_file.quartier_id LEFT OUTER "
    "JOIN place ON place.id = case_file.place_id \nWHERE {readable} "
    "ORDER BY case_file.created_at DESC, case_file.id DESC \n LIMIT {limit} OFFSET {offset}"
)
SQL_TEAMS = (
    "SELECT case_mediator.case_id, user_account.id, user_account.name \nFROM case_mediator "
    "JOIN user_account ON user_account.id = case_mediator.user_id \nWHERE case_mediator.case_id IN ({ids})"
)
SQL_COUNT_BOUNDED = (
    "SELECT count(*) AS count_1 \nFROM (SELECT case_file.id AS id \nFROM case_file \n"
    "WHERE {readable} \n LIMIT {limit}) AS anon_1"
)
