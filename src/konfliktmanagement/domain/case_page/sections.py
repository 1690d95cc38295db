"""One section of the case page, alone: what a quick action answers an htmx request with.

A quick action (add a party, record consents, log a session, an agreement and its items, a note) is a
form inside its section of the case page. Its POST handler names the section as its `PageForm`'s
`section`; `lib/form_flow.py` answers an htmx request with it (success message inside, or the form
again with the messages), and htmx swaps it in place. The section is rendered from the same read as
the page (`CasePageQuery`), after the change, together with "Nächste Schritte" (swapped out of band):
a new party or session can make the next step possible.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal, TypeAlias

from litestar.di import NamedDependency, Provide
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.domain.case_page.queries import CasePageQuery
from konfliktmanagement.domain.cases.access import CaseAccess
from konfliktmanagement.lib.form_flow import FormState, Render

# The sections with quick actions: the name of their partial template, `cases/_<name>.html`.
Section = Literal["parties", "sessions", "agreements", "notes"]


class CaseSections:
    def __init__(self, db_session: NamedDependency[AsyncSession]) -> None:
        self.pages = CasePageQuery(db_session)

    def section(self, access: CaseAccess | Callable[[], Awaitable[CaseAccess]], name: Section) -> Render:
        """The renderer of section `name` of `access`'s case, for `PageForm(section=...)`. A route that has
        no access object of its own passes how to load it (only an htmx answer then reads it)."""

        async def render(state: FormState) -> Template:
            page = await self.pages.page(access if isinstance(access, CaseAccess) else await access())
            # Which of the section's forms was sent (its hidden `quick` field): only that one shows the answer.
            sent = state.submitted.get("quick", "")
            return state.template(
                "cases/section.html", {"page": page, "case": page.case, "section": name, "quick": sent}
            )

        return render


case_section_dependencies = {"case_sections": Provide(CaseSections, sync_to_thread=False)}
CaseSectionsDep: TypeAlias = NamedDependency[CaseSections]
