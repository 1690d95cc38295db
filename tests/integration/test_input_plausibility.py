"""Issue 11, findings 1 and 10: control characters (NUL above all) and implausible dates are refused with
a message at the field, on both databases, by the checks every input Struct gets (`lib/structs.Input`).

On main a NUL answered 500 on PostgreSQL and dates such as 0001-01-01 were stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from httpx import Response
from litestar import Litestar
from msgspec import inspect

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.clock import today
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.structs import Input
from tests.helpers import CaseTeam, api, form_post, row_count
from tests.integration.test_parties import add_party

pytestmark = pytest.mark.anyio

CONTROL = ["a\x00b", "a\x07b", "a\x1bb", "a\x7fb"]


def _inputs() -> list[type[Input]]:
    # Importing the app imports every area's schemas.
    import konfliktmanagement.server.app  # noqa: F401

    found, todo = [], list(Input.__subclasses__())
    while todo:
        struct = todo.pop()
        found.append(struct)
        todo.extend(struct.__subclasses__())
    return sorted(found, key=lambda s: s.__qualname__)


def _text_fields(struct: type[Input]) -> list[str]:
    def is_text(info: inspect.Type) -> bool:
        info = info.type if isinstance(info, inspect.Metadata) else info
        if isinstance(info, inspect.UnionType):
            return any(is_text(t) for t in info.types)
        if isinstance(info, inspect.ListType):
            return is_text(info.item_type)
        return isinstance(info, inspect.StrType)

    info = inspect.type_info(struct)
    assert isinstance(info, inspect.StructType)
    return [f.name for f in info.fields if is_text(f.type)]


def test_every_text_field_of_every_input_refuses_control_characters() -> None:
    checked = 0
    for struct in _inputs():
        for name in _text_fields(struct):
            for bad in CONTROL:
                with pytest.raises(ValidationFailed) as refused:
                    # Only the field under test is given: the check runs before anything else is needed.
                    _Only(struct, name, _shaped(struct, name, bad)).__post_init__()
                assert [e.field for e in refused.value.errors] == [name]
                assert "Steuerzeichen" in refused.value.errors[0].message
                checked += 1
            # Tab, line feed and carriage return (textareas send CRLF) stay allowed.
            _Only(struct, name, _shaped(struct, name, "a\tb\r\nc")).__post_init__()
    assert checked > 100  # every area's inputs, not a handful


class _Only:
    """Stands in for an instance of `struct` holding only `value` (every other field None), so the
    struct's own checks run on one field without a valid value for each of its required fields."""

    def __init__(self, struct: type[Input], name: str, value: object) -> None:
        self.struct = struct
        self.__struct_fields__ = struct.__struct_fields__
        self.past_only = struct.past_only
        for field in struct.__struct_fields__:
            setattr(self, field, None)
        setattr(self, name, value)

    def __post_init__(self) -> None:
        self.struct.__post_init__(self)  # type: ignore[arg-type]


def _problem_field(response: Response, name: str) -> str:
    errors = {e["field"]: e["message"] for e in response.json().get("errors", [])}
    assert name in errors, response.text
    return errors[name]


def _shaped(struct: type[Input], name: str, text: str) -> object:
    info = next(f for f in inspect.type_info(struct).fields if f.name == name)  # type: ignore[attr-defined]
    kind = info.type.type if isinstance(info.type, inspect.Metadata) else info.type
    members = kind.types if isinstance(kind, inspect.UnionType) else (kind,)
    return [text] if any(isinstance(t, inspect.ListType) for t in members) else text


async def test_a_nul_byte_is_a_field_error_on_the_api_and_nothing_is_written(app: Litestar, team: CaseTeam) -> None:
    before = await row_count(app, m.Case)
    response = await api(
        team.coordinator,
        "POST",
        "/api/v1/cases",
        {"title": "a\u0000b", "quartier_id": team.quartier_id, "conflict_type_id": team.conflict_type_id},
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Steuerzeichen" in _problem_field(response, "title")
    assert await row_count(app, m.Case) == before

    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "case_team", "body": "\x00"}
    )
    assert note.status_code == 422, note.text
    assert await row_count(app, m.Note) == 0


async def test_a_nul_byte_in_a_page_form_shows_the_message_next_to_the_field(app: Litestar, team: CaseTeam) -> None:
    page = f"/cases/{team.case_id}/notes/new"
    response = await form_post(team.mediator, page, page, {"tier": "case_team", "body": "Notiz\x00mit NUL"})
    assert response.status_code == 422, response.text
    assert "Bitte ohne Steuerzeichen eingeben." in response.text
    assert await row_count(app, m.Note) == 0


@pytest.mark.parametrize(
    ("when", "refusal"),
    [
        (date(1, 1, 1), "Bitte ein Datum ab dem 01.01.2000 angeben."),
        (date(1999, 12, 31), "Bitte ein Datum ab dem 01.01.2000 angeben."),
        # consent is given on a day that has come
        (today() + timedelta(days=1), "Das Datum darf nicht in der Zukunft liegen."),
        (today(), None),
        (date(2000, 1, 1), None),
    ],
)
async def test_consent_dates_are_plausible(team: CaseTeam, when: date, refusal: str | None) -> None:
    created = await add_party(team.mediator, team.case_id)
    url = f"/api/v1/participations/{created['id']}/consents/mediation"
    response = await api(team.mediator, "PUT", url, {"given_on": when.isoformat()})
    if refusal is None:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 422, response.text
        assert _problem_field(response, "given_on") == refusal


async def test_answer_dates_and_planned_sessions_are_plausible(app: Litestar, team: CaseTeam) -> None:
    requests = f"/api/v1/cases/{team.case_id}/administration-requests"
    body = {"department": "Grünflächenamt", "subject": "Mülleimer", "answered_on": "0271-05-01"}
    answered = await api(team.mediator, "POST", requests, body)
    assert answered.status_code == 422, answered.text
    assert "01.01.2000" in _problem_field(answered, "answered_on")

    sessions = f"/api/v1/cases/{team.case_id}/sessions"
    planned = await api(
        team.mediator, "POST", sessions, {"kind": "vorgespraech", "scheduled_at": "1900-01-01T10:00:00Z"}
    )
    assert planned.status_code == 422, planned.text
    assert "01.01.2000" in _problem_field(planned, "scheduled_at")
    far = (today() + timedelta(days=365 * 6)).isoformat()
    too_far = await api(team.mediator, "POST", sessions, {"kind": "vorgespraech", "scheduled_at": f"{far}T10:00:00Z"})
    assert too_far.status_code == 422, too_far.text
    assert await row_count(app, m.MediationSession) == 0
    assert await row_count(app, m.AdministrationRequest) == 0
