"""The dashboard's case lists as plain rows: exactly the columns the page shows, read as Core rows.

No ORM entity is built for a listed case (the identity map, attribute instrumentation and joined
loads of whole related rows cost more than the page's rendering of them): one statement for all lists
with the names of its quartier, place, conflict type and mediators joined (a row per mediator, of
the list's first cases only). What the templates would otherwise compute per cell (labels, dates, the
sorted team) is computed here once per row, or once per page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, CompoundSelect, Row, Select, select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.workflow import STATUS_LABELS
from konfliktmanagement.domain.labels import label_of
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.i18n import gettext, ngettext
from konfliktmanagement.lib.templating import local_date

S = m.CaseStatus
C = m.Case

# What a list row shows about a case; the related rows contribute their names only.
_LISTED: tuple[Any, ...] = (
    C.id,
    C.reference,
    C.title,
    C.status,
    C.resume_to,
    C.created_at,
    C.urgency,
    C.recorded_by_id,
    C.version,
    C.resubmission_date,
    C.follow_up_date,
    m.Quartier.name.label("quartier"),
    C.place_id,
    m.Place.name.label("place"),
    m.ConflictType.label.label("conflict_type"),
    # A row per mediator (two, as a rule; one row without): cheaper than a statement of its own.
    m.User.id.label("mediator_id"),
    m.User.name.label("mediator_name"),
)
_CLOSED: tuple[Any, ...] = (C.id, C.reference, C.title, C.status, C.outcome, C.closed_at)


def listed_cases(ranked: CompoundSelect[Any]) -> Select[Any]:
    """The list's columns of the cases `ranked` names (`id`, `list`, `rank`), by list and rank: a
    case's rows, one per mediator, are adjacent."""
    first = ranked.subquery("ranked")
    return (
        select(first.c.list, *_LISTED)
        .join(first, first.c.id == C.id)
        .outerjoin(m.Quartier, m.Quartier.id == C.quartier_id)
        .outerjoin(m.Place, m.Place.id == C.place_id)
        .outerjoin(m.ConflictType, m.ConflictType.id == C.conflict_type_id)
        .outerjoin(m.CaseMediator, m.CaseMediator.case_id == C.id)
        .outerjoin(m.User, m.User.id == m.CaseMediator.user_id)
        .order_by(first.c.list, first.c.rank)
    )


def closed_cases(where: ColumnElement[bool], *order: Any) -> Select[Any]:
    return select(*_CLOSED).where(where).order_by(*order)


@lru_cache(maxsize=1024)
def day(value: date) -> str:
    """A calendar day as every page writes it (`local_date`), formatted once per day and process:
    the dashboard shows a few hundred dates, most of them the same few days."""
    return local_date(value)


@dataclass(frozen=True, slots=True)
class Team:
    """A case's mediators: ids (assignment forms) and names sorted as the page lists them."""

    ids: tuple[UUID, ...]
    names: str  # "A, B"; empty without mediators

    def __len__(self) -> int:
        return len(self.ids)


NO_TEAM = Team((), "")


@dataclass(frozen=True, slots=True)
class ListedCase:
    """A case in one of the attention lists (intake, overdue dates, on hold)."""

    id: UUID
    reference: str
    title: str
    status: S
    status_label: str
    resume_to_label: str  # on hold: the status it resumes to
    due: date | None  # the list's date (Wiedervorlage, follow-up); None in the intake
    due_text: str
    overdue_days: int  # > 0 overdue, 0 due today, < 0 later (or no date)
    due_badge: str  # "3 Tage überfällig", "heute fällig": due today or earlier is said in words, not only by colour
    received: str  # the day the case came in
    urgency: str
    urgency_label: str
    conflict_type: str | None
    quartier: str | None
    place_id: UUID | None
    place: str | None
    recorded_by_id: UUID | None
    version: int
    team: Team

    @property
    def recorded_by_mediator(self) -> bool:
        """Recorded by a mediator who is on it and the pair is not complete: a second person is missing."""
        return self.recorded_by_id is not None and self.recorded_by_id in self.team.ids and len(self.team) < 2

    @property
    def needs_pair(self) -> bool:
        """Without mediators, or only the mediator who recorded it: the coordination has a pair to form."""
        return not self.team.ids or self.recorded_by_mediator


def _due_badge(overdue_days: int) -> str:
    if overdue_days > 0:
        return ngettext("%(num)d Tag überfällig", "%(num)d Tage überfällig", overdue_days) % {"num": overdue_days}
    return gettext("heute fällig") if overdue_days == 0 else ""


def listed(rows: Iterable[Row[Any]], due_of: str | None, today: date) -> list[ListedCase]:
    """The cases of one list from its rows (a case's rows adjacent, one per mediator); `due_of`: the
    column whose date the list shows."""
    by_case: dict[UUID, tuple[Row[Any], list[tuple[str, UUID]]]] = {}
    for r in rows:
        members = by_case.setdefault(r.id, (r, []))[1]
        if r.mediator_id is not None:
            members.append((r.mediator_name, r.mediator_id))
    return [_listed(r, members, due_of, today) for r, members in by_case.values()]


def _listed(r: Row[Any], members: list[tuple[str, UUID]], due_of: str | None, today: date) -> ListedCase:
    members.sort()  # by name, as the page lists them
    due: date | None = getattr(r, due_of) if due_of else None
    overdue = (today - due).days if due is not None else -1
    resume_to = r.resume_to
    return ListedCase(
        id=r.id,
        reference=r.reference,
        title=r.title,
        status=S(r.status),
        status_label=STATUS_LABELS[S(r.status)],
        resume_to_label=STATUS_LABELS[S(resume_to)] if resume_to else "",
        due=due,
        due_text=day(due) if due is not None else "",
        overdue_days=overdue,
        due_badge=_due_badge(overdue),
        received=day(r.created_at.astimezone(BERLIN).date()),
        urgency=r.urgency,
        urgency_label=label_of(m.Urgency, r.urgency),
        conflict_type=r.conflict_type,
        quartier=r.quartier,
        place_id=r.place_id,
        place=r.place,
        recorded_by_id=r.recorded_by_id,
        version=r.version,
        team=Team(tuple(u for _n, u in members), ", ".join(n for n, _u in members)) if members else NO_TEAM,
    )


@dataclass(frozen=True, slots=True)
class ClosedCase:
    id: UUID
    reference: str
    title: str
    ended_on: str  # "beendet am 03.11.2026"


def closed(rows: Iterable[Row[Any]]) -> dict[tuple[str, str | None], list[ClosedCase]]:
    """The newest closed cases by (status, outcome), in the rows' order."""
    by_group: dict[tuple[str, str | None], list[ClosedCase]] = {}
    ended_on = gettext("beendet am %(day)s")
    for r in rows:
        closed_at: datetime = r.closed_at
        by_group.setdefault((r.status, r.outcome), []).append(
            ClosedCase(r.id, r.reference, r.title, ended_on % {"day": day(closed_at.astimezone(BERLIN).date())})
        )
    return by_group
