"""Every page each kind of user can reach by following links: German, and free of data they may not see.

A crawler starts at `/` for every role and follows same-site links (GET only). A canary party's contact
data may appear only on its party page for the case's mediator; a mediator-private note only to them.
"""

from __future__ import annotations

import html
import re
from collections import deque

import pytest
from httpx import AsyncClient
from litestar import Litestar

from tests.helpers import api, case_team

pytestmark = pytest.mark.anyio

NAME = "Canary Wieczorek-Hansen"
PHONE = "+49 171 5550999"
EMAIL = "canary.wieczorek@example.org"
ADDRESS = "Kanarienweg 77"
CONTACT = (NAME, PHONE, EMAIL, ADDRESS)
PRIVATE_NOTE = "Canary-Privatnotiz 5521"

_LINK = re.compile(r'href="(/[^"#]*)"')
# Downloads are not pages; a list sorted by another column is the same list (its column headers are
# tested in test_case_search.py) and would multiply the crawl by the number of columns.
_SKIP = re.compile(r"^/(static|api|logout)\b|^[^?]*\.(pdf|csv)(\?|$)|[?&]sort=")
_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
# Words an untranslated page would show; German pages use Speichern, Abbrechen, Weiter, Suche …
_ENGLISH = re.compile(r"\b(Submit|Save|Cancel|Delete|Edit|Search|Next|Previous|Not Found|Error|Login|Logout|Home)\b")
MAX_PAGES = 120


async def _crawl(client: AsyncClient) -> dict[str, str]:
    seen: dict[str, str] = {}
    queue = deque(["/"])
    while queue and len(seen) < MAX_PAGES:
        url = html.unescape(queue.popleft())
        if url in seen:
            continue
        response = await client.get(url, follow_redirects=True)
        seen[url] = response.text
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for link in _LINK.findall(response.text):
            if not _SKIP.match(link) and html.unescape(link) not in seen:
                queue.append(link)
    return seen


def _visible_text(page: str) -> str:
    return html.unescape(_TAG.sub(" ", page))


async def test_every_reachable_page_is_german_and_keeps_contact_data_to_the_party_page(
    app: Litestar, make_client
) -> None:
    team = await case_team(app, make_client)
    created = await api(
        team.mediator,
        "POST",
        f"/api/v1/cases/{team.case_id}/participations",
        {
            "party": {"kind": "person", "name": NAME, "phone": PHONE, "email": EMAIL, "address": ADDRESS},
            "role": "anliegend",
        },
    )
    assert created.status_code == 201, created.text
    party_id = created.json()["party"]["id"]
    note = await api(
        team.mediator, "POST", f"/api/v1/cases/{team.case_id}/notes", {"tier": "mediator_private", "body": PRIVATE_NOTE}
    )
    assert note.status_code == 201, note.text

    reached: dict[str, int] = {}
    for role in ("mediator", "coordinator", "other_mediator", "round_table", "admin"):
        pages = await _crawl(getattr(team, role))
        reached[role] = len(pages)
        for url, page in pages.items():
            assert '<html lang="de">' in page, f"{role} {url} is not a German page"
            english = _ENGLISH.search(_visible_text(page))
            assert english is None, f"{role} {url} shows untranslated text {english and english.group(0)!r}"
            for canary in CONTACT:
                if role == "mediator" and url.startswith(f"/parties/{party_id}"):
                    continue
                assert canary not in page, f"{role} {url} shows contact data ({canary[:6]}…)"
            if role != "mediator":
                assert PRIVATE_NOTE not in page, f"{role} {url} shows a mediator-private note"
        if role == "mediator":
            party_page = pages.get(f"/parties/{party_id}")
            assert party_page is not None, "the mediator reaches the party page by links"
            assert NAME in party_page, "the case's mediator sees the contact data there"
            assert PHONE in party_page
            assert any(PRIVATE_NOTE in page for page in pages.values()), "the mediator sees their private note"
    # The crawl must really have walked the case pages, not stopped at the start page.
    assert reached["mediator"] >= 10
    assert reached["coordinator"] >= 10
