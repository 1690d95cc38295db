"""Markup basics of the party, participation, note and administration-request pages (WCAG 2.1 AA).

The browser suite runs axe on the main pages; this keeps the rules that plain HTML can show on
every page of this area, including the error pages with field messages: German, one h1, unique
ids, every field labelled, errors linked to their fields, every POST form with its CSRF field.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from httpx import Response

from konfliktmanagement.lib.clock import today
from tests.helpers import CaseTeam, api, form_post

pytestmark = pytest.mark.anyio


class Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.h1 = 0
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.described: list[str] = []
        self.forms: list[dict[str, object]] = []
        self._label_depth = 0
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self._label_depth += 1
            if attributes.get("for"):
                self.label_for.add(str(attributes["for"]))
        if tag in {"input", "select", "textarea"} and attributes.get("type") != "hidden":
            self.fields.append(attributes | {"_in_label": "yes" if self._label_depth else None})
        if attributes.get("aria-describedby"):
            self.described.extend(str(attributes["aria-describedby"]).split())
        if tag == "form":
            self.forms.append({"method": attributes.get("method"), "csrf": False})
        if tag == "input" and attributes.get("name") == "_csrf_token" and self.forms:
            self.forms[-1]["csrf"] = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def check(where: str, response: Response) -> None:
    markup = Markup()
    markup.feed(response.text)
    assert markup.lang == "de", where
    assert markup.h1 == 1, f"{where}: {markup.h1} h1"
    duplicates = {i for i in markup.ids if markup.ids.count(i) > 1}
    assert not duplicates, f"{where}: duplicate ids {duplicates}"
    for field in markup.fields:
        labelled = field["_in_label"] or field.get("id") in markup.label_for
        assert labelled, f"{where}: field {field.get('name')} has no label"
    missing = set(markup.described) - set(markup.ids)
    assert not missing, f"{where}: aria-describedby points nowhere: {missing}"
    for form in markup.forms:
        assert form["method"] != "post" or form["csrf"], f"{where}: POST form without CSRF field"


async def test_every_page_of_the_area_passes_the_markup_checks(team: CaseTeam) -> None:
    created = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {"role": "anliegend", "party": {"kind": "informal_group", "name": "Anwohnende", "group_size_estimate": 8}},
    )
    participation = created.json()
    consent = await api(
        team.mediator,
        "PUT",
        f"/api/v1/participations/{participation['id']}/consents/mediation",
        {"given_on": today().isoformat()},
    )
    assert consent.status_code == 200
    note = (
        await api(team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "shareable", "body": "x"})
    ).json()
    request = (
        await api(
            team.mediator,
            "POST",
            f"/api/v1/cases/{team.case_id}/administration-requests",
            {"department": "Grünflächenamt", "subject": "Bank"},
        )
    ).json()
    pages = [
        f"/cases/{team.case_id}/participations/new",
        f"/participations/{participation['id']}",
        f"/parties/{participation['party']['id']}",
        f"/cases/{team.case_id}/notes/new",
        f"/notes/{note['id']}",
        f"/cases/{team.case_id}/administration-requests/new",
        f"/administration-requests/{request['id']}",
    ]
    for client in (team.mediator, team.coordinator):
        for url in pages:
            response = await client.get(url)
            assert response.status_code == 200, url
            check(url, response)

    # The pages with errors next to the fields.
    failing = [
        (pages[0], {"party.kind": "person", "party.name": "", "party.email": "x", "role": ""}),
        (pages[0], {"form": "existing", "existing.pseudonym": "P-NOPE", "existing.role": ""}),
        (pages[1], {"version": "1", "role": "", "status": ""}),
        (f"{pages[1]}/consents", {"purpose": "contact", "contact.given_on": "", "contact.withdrawn_on": "x"}),
        (pages[2], {"version": "1", "kind": "person", "name": "", "group_size_estimate": "0"}),
        (pages[3], {"tier": "", "body": ""}),
        (pages[4], {"version": "1", "tier": "", "body": ""}),
        (pages[5], {"department": "", "subject": "", "status": "beantwortet"}),
        (pages[6], {"version": "1", "department": "", "subject": "", "status": "abgelehnt"}),
    ]
    for action, data in failing:
        page = action.removesuffix("/consents")
        response = await form_post(team.mediator, page, action, data)
        assert response.status_code == 422, (action, response.status_code)
        assert 'class="error-summary"' in response.text
        check(f"POST {action}", response)
