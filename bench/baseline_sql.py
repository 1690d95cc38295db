"""The SQL of bench/baseline.py: the app's statements as `KM_DATABASE_ECHO=true` prints them."""

from __future__ import annotations

SQL_TOKEN_USED = (
    "UPDATE api_token SET last_used_at=$1::TIMESTAMP WITH TIME ZONE, updated_at=$2::TIMESTAMP WITH TIME ZONE "
    "WHERE api_token.id = $3::UUID"
)
MEDIATOR_FILTER = (
    "case_file.id IN (SELECT case_mediator.case_id \nFROM case_mediator \nWHERE case_mediator.user_id = {p}::UUID)"
)
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


# A transition (domain/cases/transitions.py): the case locked and loaded with its names and mediators in
# one statement; its row written with the audit trail's head returned; the counts, the workload and Meine
# Fälle's next days it moves; the audit event.
SQL_CASE_FOR_WRITE = (
    "SELECT case_file.id, case_file.reference, case_file.year, case_file.sequence, case_file.title, "
    "case_file.description, case_file.conflict_type_id, case_file.quartier_id, case_file.place_id, "
    "case_file.referral_source, case_file.urgency, case_file.escalation_level, case_file.status, "
    "case_file.phase, case_file.outcome, case_file.closure_reason, case_file.referral_recipient, "
    "case_file.no_follow_up_reason, case_file.reopen_count, case_file.resume_to, "
    "case_file.resubmission_date, case_file.follow_up_date, case_file.closed_at, case_file.record_key, "
    "case_file.retention_due_on, case_file.legal_hold, case_file.recorded_by_id, case_file.version, "
    "case_file.sa_orm_sentinel, case_file.created_at, case_file.updated_at, conflict_type_1.id AS id_1, "
    "conflict_type_1.code, conflict_type_1.label, conflict_type_1.sort_order, conflict_type_1.active, "
    "conflict_type_1.sa_orm_sentinel AS sa_orm_sentinel_1, conflict_type_1.created_at AS created_at_1, "
    "conflict_type_1.updated_at AS updated_at_1, quartier_1.id AS id_2, quartier_1.code AS code_1, "
    "quartier_1.name, quartier_1.stadtbezirk_id, quartier_1.version AS version_1, "
    "quartier_1.sa_orm_sentinel AS sa_orm_sentinel_2, quartier_1.created_at AS created_at_2, "
    "quartier_1.updated_at AS updated_at_2, place_1.id AS id_3, place_1.quartier_id AS quartier_id_1, "
    "place_1.name AS name_1, place_1.latitude, place_1.longitude, place_1.version AS version_2, "
    "place_1.sa_orm_sentinel AS sa_orm_sentinel_3, place_1.created_at AS created_at_3, "
    "place_1.updated_at AS updated_at_3, user_account_1.id AS id_4, user_account_1.email, "
    "user_account_1.name AS name_2, user_account_1.password, user_account_1.is_active, "
    "user_account_1.must_change_password, user_account_1.version AS version_3, "
    "user_account_1.sa_orm_sentinel AS sa_orm_sentinel_4, user_account_1.created_at AS created_at_4, "
    "user_account_1.updated_at AS updated_at_4, case_mediator_1.case_id, case_mediator_1.user_id, "
    "case_mediator_1.assigned_at \nFROM case_file LEFT OUTER JOIN conflict_type AS conflict_type_1 ON "
    "conflict_type_1.id = case_file.conflict_type_id LEFT OUTER JOIN quartier AS quartier_1 ON "
    "quartier_1.id = case_file.quartier_id LEFT OUTER JOIN place AS place_1 ON place_1.id = "
    "case_file.place_id LEFT OUTER JOIN case_mediator AS case_mediator_1 ON case_file.id = "
    "case_mediator_1.case_id LEFT OUTER JOIN user_account AS user_account_1 ON user_account_1.id = "
    "case_mediator_1.user_id \nWHERE case_file.id = $1::UUID AND {readable} FOR UPDATE OF case_file"
)
SQL_TRANSITION_CASE = (
    "UPDATE case_file SET status=$1::VARCHAR, outcome=$2::VARCHAR, closure_reason=$3::VARCHAR, "
    "referral_recipient=$4::VARCHAR, no_follow_up_reason=$5::VARCHAR, reopen_count=$6::INTEGER, "
    "resume_to=$7::VARCHAR, resubmission_date=$8::DATE, follow_up_date=$9::DATE, "
    "closed_at=$10::TIMESTAMP WITH TIME ZONE, version=(case_file.version + $11::INTEGER), "
    "updated_at=$12::TIMESTAMP WITH TIME ZONE WHERE case_file.id = $13::UUID AND case_file.version = "
    "$14::INTEGER RETURNING case_file.version, (SELECT case_event.seq \nFROM case_event \nWHERE "
    "case_event.case_id = $13::UUID ORDER BY case_event.seq DESC \n LIMIT $15::INTEGER) AS anon_1, "
    "(SELECT case_event.hash \nFROM case_event \nWHERE case_event.case_id = $13::UUID ORDER BY "
    "case_event.seq DESC \n LIMIT $15::INTEGER) AS anon_2"
)
SQL_CASE_COUNT_ADD = (
    "INSERT INTO case_count (quartier_key, status, n) VALUES ($1::UUID, $2::VARCHAR, $3::INTEGER) ON "
    "CONFLICT (quartier_key, status) DO UPDATE SET n = case_count.n + excluded.n"
)
SQL_MEDIATOR_LOAD_ADD = (
    "INSERT INTO mediator_load (user_id, active_cases) VALUES ($1::UUID, $2::INTEGER) ON CONFLICT "
    "(user_id) DO UPDATE SET active_cases = mediator_load.active_cases + excluded.active_cases"
)
SQL_NEXT_DAYS = (
    "UPDATE case_mediator SET case_open=(case_file.status IN ($2::VARCHAR, $3::VARCHAR, $4::VARCHAR, "
    "$5::VARCHAR, $6::VARCHAR, $7::VARCHAR, $8::VARCHAR)), next_day=LEAST((SELECT "
    "min(CAST((mediation_session.scheduled_at) AT TIME ZONE 'Europe/Berlin' AS DATE)) AS min_1 \nFROM "
    "mediation_session \nWHERE mediation_session.case_id = case_file.id AND mediation_session.status = "
    "$1::VARCHAR AND mediation_session.scheduled_at IS NOT NULL), case_file.resubmission_date, "
    "case_file.follow_up_date), case_reference=case_file.reference FROM case_file WHERE "
    "case_mediator.case_id = case_file.id AND case_file.id IN ($9::UUID)"
)
SQL_INSERT_EVENT = (
    "INSERT INTO case_event (id, case_id, seq, occurred_at, actor_id, action, from_status, to_status, "
    "reason, details, prev_hash, hash) VALUES ($1::UUID, $2::UUID, $3::INTEGER, $4::TIMESTAMP WITH TIME "
    "ZONE, $5::UUID, $6::VARCHAR, $7::VARCHAR, $8::VARCHAR, $9::VARCHAR, $10::JSON, $11::VARCHAR, "
    "$12::VARCHAR)"
)
