"""Which quick action of the case page a fetched form belongs to (`/cases/{case_id}/quick/{key}`).

The case page holds its quick actions closed, without their forms; opening one fetches its form
(cases/_quick.html). The key is the one its disclosure names: `party`, `session`, `agreement`,
`note`, `attachment`, `participation-<id>` (a party's consents and status) or `new-item-<agreement id>`. A key
the page would not offer — a closed case, an erased party, a record of another case — is no form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from konfliktmanagement.domain.case_page.queries import CasePage
from konfliktmanagement.lib.exceptions import NotFound

SIMPLE = frozenset({"party", "session", "agreement"})
RECORD_KINDS = ("participation", "new-item")  # `<kind>-<record id>`


@dataclass(frozen=True, slots=True)
class QuickForm:
    """The form to render: its kind (the macro of cases/_quick_forms.html), the record it is about and
    the prefix of its field ids, as the page numbers them (`q2-`: the second party's)."""

    kind: str
    record: Any = None
    idp: str = ""


def quick_form_of(page: CasePage, key: str) -> QuickForm:
    """The quick action `key` of `page`, as the page offers it; 404 for any other key."""
    if page.writable:
        if key in SIMPLE or (key == "note" and page.note_tiers) or (key == "attachment" and page.upload.tiers):
            return QuickForm(key)
        kind = next((kind for kind in RECORD_KINDS if key.startswith(kind + "-")), "")
        record_id = _uuid(key.removeprefix(kind + "-"))
        if kind == "participation":
            parties = [p for p in page.participations if not p.erased]
            for n, participation in enumerate(parties, start=1):
                if participation.id == record_id:
                    return QuickForm(kind, participation, f"q{n}-")
        if kind == "new-item":
            for n, agreement in enumerate(page.agreements, start=1):
                if agreement.id == record_id:
                    return QuickForm(kind, agreement, f"qn{n}-")
    raise NotFound


def _uuid(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None
