"""Browser form data → service input Structs: every bad field named, in German, without echoing input."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

import msgspec
import pytest

from konfliktmanagement.domain.cases.schemas import CaseCreate, CaseUpdate, TransitionRequest
from konfliktmanagement.domain.mediation.schemas import SessionCreate, SessionUpdate
from konfliktmanagement.domain.parties.schemas import ParticipationCreate
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.form_input import field_errors, parse


def errors_of(schema: type, data: dict[str, object]) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        parse(schema, data)
    return field_errors(caught.value)


def test_text_values_become_typed_and_empty_optionals_none() -> None:
    quartier = uuid4()
    case = parse(
        CaseCreate,
        {"_csrf_token": "x", "title": " Lärm ", "quartier_id": str(quartier), "place_id": "", "escalation_level": "3"},
    )
    assert case.quartier_id == quartier
    assert case.place_id is None
    assert case.escalation_level == 3


def test_every_bad_field_is_reported_at_once_in_german() -> None:
    errors = errors_of(CaseCreate, {"title": "", "escalation_level": "12", "quartier_id": "kein-uuid"})
    assert errors == {
        "title": "Bitte ausfüllen.",
        "escalation_level": "Bitte eine Zahl bis 9 eingeben.",
        "quartier_id": "Bitte einen Eintrag aus der Liste wählen.",
    }


def test_messages_never_echo_the_input() -> None:
    secret = "0151-canary-4711"
    errors = errors_of(SessionCreate, {"kind": secret, "duration_minutes": secret})
    assert set(errors) == {"kind", "duration_minutes"}
    assert all(secret not in message for message in errors.values())
    assert errors["duration_minutes"] == "Bitte eine Zahl eingeben."


def test_required_field_left_out_is_named() -> None:
    assert errors_of(CaseCreate, {}) == {"title": "Bitte ausfüllen."}
    assert errors_of(CaseUpdate, {"version": ""}) == {"version": "Bitte ausfüllen."}


def test_datetime_local_is_berlin_wall_clock_time() -> None:
    session = parse(SessionCreate, {"kind": "vorgespraech", "held_at": "2026-07-01T18:30"})
    assert session.held_at == datetime(2026, 7, 1, 18, 30, tzinfo=BERLIN)
    assert session.held_at.utcoffset().total_seconds() == 7200  # summer time


def test_checkbox_groups_absent_empty_and_ticked() -> None:
    one, two = uuid4(), uuid4()
    assert parse(SessionCreate, {"kind": "vorgespraech"}).participation_ids == []
    ticked = parse(SessionCreate, {"kind": "vorgespraech", "participation_ids": ["", str(one), str(two)]})
    assert ticked.participation_ids == [one, two]
    # In a partial update the hidden marker alone means "none ticked"; no field at all means "unchanged".
    cleared = parse(SessionUpdate, {"version": "2", "participation_ids": ""})
    assert cleared.participation_ids == []
    assert parse(SessionUpdate, {"version": "2"}).participation_ids is msgspec.UNSET


def test_single_checkbox_is_false_when_absent() -> None:
    assert parse(TransitionRequest, {"to": "in_klaerung"}).override is False
    assert parse(TransitionRequest, {"to": "in_klaerung", "override": "on"}).override is True


def test_nested_struct_fields_carry_their_prefix() -> None:
    errors = errors_of(
        ParticipationCreate, {"role": "betroffen", "party.kind": "person", "party.name": " ", "party.email": "x"}
    )
    assert errors == {"party.name": "Bitte ausfüllen.", "party.email": "Bitte im richtigen Format eingeben."}
    created = parse(ParticipationCreate, {"role": "betroffen", "party.kind": "informal_group", "party.name": "Gruppe"})
    assert created.party is not None
    assert created.party.name == "Gruppe"
    assert parse(ParticipationCreate, {"role": "betroffen", "party_id": str(uuid4())}).party is None
