"""Choices the case forms and filters offer: quartiers, places, conflict types, mediators.

Master data and staff names only — nothing here is about a party.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.counts import stored_loads
from konfliktmanagement.domain.reference_data import cached
from konfliktmanagement.lib.i18n import N_, gettext, ngettext

Choice = tuple[str, str]

# Glasl's nine stages of conflict escalation, as mediators know them.
_GLASL = (
    N_("Verhärtung"),
    N_("Debatte, Polemik"),
    N_("Taten statt Worte"),
    N_("Images und Koalitionen"),
    N_("Gesichtsverlust"),
    N_("Drohstrategien"),
    N_("begrenzte Vernichtungsschläge"),
    N_("Zersplitterung"),
    N_("gemeinsam in den Abgrund"),
)


def escalation_choices() -> list[Choice]:
    return [(str(level), escalation_label(level)) for level in range(1, len(_GLASL) + 1)]


def escalation_label(level: int | None) -> str:
    """A Glasl level as people read it, "3 – Taten statt Worte" (empty for none; the bare number if unknown)."""
    if level is None:
        return ""
    if 1 <= level <= len(_GLASL):
        return f"{level} – {gettext(_GLASL[level - 1])}"
    return str(level)


@dataclass(frozen=True, slots=True)
class CaseFormOptions:
    quartiers: list[Choice]
    places: list[Choice]
    conflict_types: list[Choice]


async def case_form_options(session: AsyncSession) -> CaseFormOptions:
    """Cached per process until the reference data changes (domain/reference_data.py)."""
    shared = await cached(session, "case_form_options", lambda: _load_case_form_options(session))
    # Copies: the cached lists are shared by every request of this process.
    return CaseFormOptions(list(shared.quartiers), list(shared.places), list(shared.conflict_types))


async def _load_case_form_options(session: AsyncSession) -> CaseFormOptions:
    quartiers = await session.scalars(select(m.Quartier).order_by(m.Quartier.name))
    places = await session.scalars(
        select(m.Place)
        .join(m.Quartier, m.Quartier.id == m.Place.quartier_id)
        .options(selectinload(m.Place.quartier))
        .order_by(m.Quartier.name, m.Place.name)
    )
    conflict_types = await session.scalars(
        select(m.ConflictType)
        .where(m.ConflictType.active.is_(True))
        .order_by(m.ConflictType.sort_order, m.ConflictType.label)
    )
    return CaseFormOptions(
        quartiers=[(str(q.id), q.name) for q in quartiers],
        # The quartier in the label tells equally named places apart and hints at the right pairing.
        places=[(str(p.id), f"{p.name} ({p.quartier.name})") for p in places],
        conflict_types=[(str(c.id), c.label) for c in conflict_types],
    )


async def active_mediators(session: AsyncSession) -> list[m.User]:
    """Active users holding the mediator role, by name: whom the coordination may assign."""
    return list(
        await session.scalars(
            select(m.User)
            .join(m.UserRole, m.UserRole.user_id == m.User.id)
            .where(m.User.is_active.is_(True), m.UserRole.role == m.Role.MEDIATOR.value)
            .order_by(m.User.name, m.User.id)
        )
    )


async def mediator_choices(session: AsyncSession) -> list[Choice]:
    """Cached per process until the reference data changes (domain/reference_data.py)."""

    async def load() -> list[Choice]:
        return [(str(u.id), u.name) for u in await active_mediators(session)]

    # A copy: callers may extend their list (an empty choice first).
    return list(await cached(session, "mediator_choices", load))


@dataclass(frozen=True, slots=True)
class MediatorOption:
    """A mediator on offer for assignment, with how many active cases they carry (to pick a pair fairly)."""

    id: UUID
    name: str
    active_cases: int

    @property
    def label(self) -> str:
        """ "Mila Mediation (2 aktive Fälle)": the name with the workload, as every chooser shows it."""
        load = ngettext("%(num)d aktiver Fall", "%(num)d aktive Fälle", self.active_cases) % {"num": self.active_cases}
        return f"{self.name} ({load})"


async def mediator_workload(session: AsyncSession) -> list[MediatorOption]:
    """Every active mediator (the cached choices) with their active cases, from `mediator_load` (kept in
    step with every assignment and status change, `domain/cases/counts.py`): one small read."""
    choices = await mediator_choices(session)
    if not choices:
        return []
    loads = await stored_loads(session)
    return [MediatorOption(UUID(value), name, loads.get(UUID(value), 0)) for value, name in choices]
