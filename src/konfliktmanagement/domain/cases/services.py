"""Cases: record, list, revise, assign mediators, the audit trail. Transitions live in `transitions.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from sqlalchemy import Select, bindparam, func, select

from konfliktmanagement.db import models as m
from konfliktmanagement.db.driver_reads import DriverSelect
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases import case_list, case_rows, counts, schemas  # noqa: F401 - counts registers case_count's listener
from konfliktmanagement.domain.cases.access import CaseAccess, may_export_case_list, may_work_with_cases
from konfliktmanagement.domain.cases.case_list import CaseFilters
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD, deny, load_case
from konfliktmanagement.domain.cases.records import revise_record
from konfliktmanagement.domain.cases.references import next_reference
from konfliktmanagement.domain.notifications import events as notification_events
from konfliktmanagement.lib.clock import now, today
from konfliktmanagement.lib.exceptions import FieldError, NotAllowed, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import apply_changes, ensure_version
from konfliktmanagement.lib.services import Service

COUNT_LIMIT = 10_000  # case lists count exactly up to here, then say "more than"
ItemT = TypeVar("ItemT")
ListingT = TypeVar("ListingT")  # a Select, or the DriverSelect made of it


@dataclass(frozen=True, slots=True)
class CasePage(Generic[ItemT]):
    items: list[ItemT]
    total: int  # exact when `exact`; otherwise COUNT_LIMIT, and there are more
    exact: bool
    target: UUID | None = None  # the case an exact reference names (readable, the only match)


@dataclass(frozen=True, slots=True)
class CaseExport:
    items: list[m.Case]
    parties: dict[UUID, list[str]]  # per case: "alias (pseudonym)", never names


class CaseRepository(SQLAlchemyAsyncRepository[m.Case]):
    model_type = m.Case


class CaseService(Service[m.Case, CaseRepository]):
    repository_type = CaseRepository

    async def record(self, user: Principal, data: schemas.CaseCreate) -> m.Case:
        if not may_work_with_cases(user):
            raise NotAllowed
        await self._check_references(data.conflict_type_id, data.quartier_id, data.place_id)
        year = today().year
        sequence, reference = await next_reference(self.session, year)
        case = m.Case(
            reference=reference,
            year=year,
            sequence=sequence,
            title=data.title.strip(),
            description=data.description,
            conflict_type_id=data.conflict_type_id,
            quartier_id=data.quartier_id,
            place_id=data.place_id,
            referral_source=data.referral_source.value,
            urgency=data.urgency.value,
            escalation_level=data.escalation_level,
            status=m.CaseStatus.EINGEGANGEN.value,
        )
        # A mediator who records a case is on it; the coordination completes the pair from its intake
        # queue, which marks the case as recorded by a mediator until then.
        if user.has_role(m.Role.MEDIATOR) and not user.has_role(m.Role.COORDINATOR):
            case.mediator_links = [m.CaseMediator(user_id=user.id)]
            case.recorded_by_id = user.id
        self.session.add(case)
        await self.session.flush()
        if data.escalation_level is not None:
            self.session.add(m.EscalationRecord(case_id=case.id, level=data.escalation_level, recorded_by_id=user.id))
        await append_event(
            self.session,
            case_id=case.id,
            actor_id=user.id,
            action="created",
            to_status=case.status,
        )
        return (await load_case(self.session, user, case.id, attempted="read")).case

    async def list_summaries(self, user: Principal, filters: CaseFilters) -> CasePage[schemas.CaseSummary]:
        """One page of the list (filters, search, sort: `case_list.py`), for the API and the list page:
        rows straight into its structs (`case_rows`), with a bounded count.

        `target` is the case an exact reference names, when it is the one readable match: the page
        goes straight to it."""
        statement = self._listing("summaries", user, filters, _summary_page)
        # On the driver: rows, without the Session's ORM post-processing (see case_rows).
        rows = await statement.all(await self.session.connection(), _page_parameters(user, filters))
        items = await case_rows.summaries(self.session, rows)
        total, exact = await self._counted(user, filters, len(items))
        target = items[0].id if filters.exact_reference and len(items) == 1 else None
        return CasePage(items=items, total=total, exact=exact, target=target)

    async def _counted(self, user: Principal, filters: CaseFilters, shown: int) -> tuple[int, bool]:
        """The list's length and whether it is exact: counted up to COUNT_LIMIT + 1 rows only. An exact
        COUNT reads every readable row (all of them for the coordination), which grows with the city;
        "more than 10 000" is as useful."""
        if filters.page == 1 and shown < filters.page_size:
            counted = shown  # the first page holds them all: no second statement
        else:
            statement = self._listing("count", user, filters, _count)
            parameters = {**case_list.parameters(user, filters), "count_limit": COUNT_LIMIT + 1}
            counted = (await statement.all(await self.session.connection(), parameters))[0][0]
        return min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT

    def _listing(
        self, purpose: str, user: Principal, filters: CaseFilters, build: Callable[[Listed], ListingT]
    ) -> ListingT:
        """The statement `build` makes from the list's query, kept per shape (`case_list.shape`): built
        once, so SQLAlchemy derives its cache key once, not on every request."""
        dialect = self.session.get_bind().dialect.name

        def listed(*columns: Any, base: Select[Any] | None = None) -> Select[Any]:
            return case_list.listed(user, filters, dialect, *columns, base=base)

        shape = case_list.shape(user, filters, dialect)
        if shape is None:
            return build(listed)
        key = (purpose, *shape)
        if key not in _LISTINGS:
            _LISTINGS[key] = build(listed)
        kept: ListingT = _LISTINGS[key]
        return kept

    async def export(self, user: Principal, filters: CaseFilters) -> CaseExport:
        """The whole list as the coordination sees it (every page, up to COUNT_LIMIT rows), for the CSV:
        the cases and their parties by alias and pseudonym only. Others get 403."""
        if not may_export_case_list(user):
            raise NotAllowed(_("Nur die Koordination kann Falllisten herunterladen."))
        dialect = self.session.get_bind().dialect.name
        parameters = case_list.parameters(user, filters)
        statement = case_list.listed(user, filters, dialect).options(*CASE_DETAIL_LOAD).limit(COUNT_LIMIT)
        items = list((await self.session.scalars(statement, parameters)).unique())
        parties: dict[UUID, list[str]] = {}
        if items:
            rows = await self.session.execute(
                select(m.Participation.case_id, m.Participation.alias, m.Party.pseudonym)
                .join(m.Party, m.Party.id == m.Participation.party_id)
                .where(m.Participation.case_id.in_(case_list.listed(user, filters, dialect, m.Case.id).order_by(None)))
                .order_by(m.Participation.alias),
                parameters,
            )
            for case_id, alias, pseudonym in rows:
                parties.setdefault(case_id, []).append(f"{alias} ({pseudonym})")
        return CaseExport(items=items, parties=parties)

    async def revise(self, access: CaseAccess, data: schemas.CaseUpdate) -> m.Case:
        case = access.case

        async def validate(changes: dict[str, Any]) -> dict[str, Any]:
            if "title" in changes:
                changes["title"] = changes["title"].strip()
            await self._check_references(
                changes.get("conflict_type_id", case.conflict_type_id),
                changes.get("quartier_id", case.quartier_id),
                changes.get("place_id", case.place_id),
            )
            return changes

        def apply(case: m.Case, changes: dict[str, Any]) -> list[str]:
            changed = apply_changes(case, changes)
            if "escalation_level" in changed and case.escalation_level is not None:
                self.session.add(
                    m.EscalationRecord(case_id=case.id, level=case.escalation_level, recorded_by_id=access.user.id)
                )
            return changed

        changed = await revise_record(
            self.session,
            access,
            case,
            data,
            validate=validate,
            event="updated",
            details=lambda _changed: {},
            apply=apply,
        )
        # The page and the API show the names of quartier, place and conflict type: load them anew.
        if references := [name for name in ("conflict_type", "quartier", "place") if f"{name}_id" in changed]:
            self.session.expire(case, references)
            return await self._reloaded(access)
        return case

    async def assign_mediators(self, access: CaseAccess, data: schemas.MediatorAssignment) -> m.Case:
        session = self.session
        if not access.may_coordinate:
            raise deny(session, access, "assign_mediators", _("Nur die Koordination weist Mediator:innen zu."))
        case, user = access.case, access.user
        ensure_version(case, data.version)
        wanted = list(dict.fromkeys(data.mediator_ids))
        if len(wanted) < len(data.mediator_ids):  # the same person twice is no pair
            message = _("Ein Paar sind zwei verschiedene Mediator:innen: bitte nicht dieselbe Person zweimal wählen.")
            raise ValidationFailed([FieldError("mediator_ids", message)])
        found = set(
            await session.scalars(
                select(m.User.id)
                .join(m.UserRole, m.UserRole.user_id == m.User.id)
                .where(m.User.id.in_(wanted), m.User.is_active.is_(True), m.UserRole.role == m.Role.MEDIATOR.value)
            )
        )
        if unknown := [str(i) for i in wanted if i not in found]:
            raise ValidationFailed(
                [FieldError("mediator_ids", _("Keine aktive Mediator:in: %(ids)s") % {"ids": ", ".join(unknown)})]
            )
        before = {link.user_id for link in case.mediator_links}
        case.mediator_links = [link for link in case.mediator_links if link.user_id in found] + [
            m.CaseMediator(user_id=i) for i in wanted if i not in before
        ]
        case.updated_at = now()
        await session.flush()
        await append_event(
            session,
            case_id=case.id,
            actor_id=user.id,
            action="mediators_assigned",
            details={
                "added": sorted(str(i) for i in found - before),
                "removed": sorted(str(i) for i in before - found),
            },
        )
        await notification_events.assigned(session, case.id, sorted(found - before), user.id)
        session.expire(case, ["mediator_links"])
        return await self._reloaded(access)

    async def _reloaded(self, access: CaseAccess) -> m.Case:
        """The case with its expired relationships loaded again (as `load_case` loads them)."""
        return (await load_case(self.session, access.user, access.case_id, attempted="read")).case

    async def events(self, access: CaseAccess) -> list[m.CaseEvent]:
        return list(
            await self.session.scalars(
                select(m.CaseEvent).where(m.CaseEvent.case_id == access.case_id).order_by(m.CaseEvent.seq)
            )
        )

    async def _check_references(
        self, conflict_type_id: UUID | None, quartier_id: UUID | None, place_id: UUID | None
    ) -> None:
        session = self.session
        errors = []
        if conflict_type_id and not await session.scalar(
            select(m.ConflictType.id).where(m.ConflictType.id == conflict_type_id, m.ConflictType.active.is_(True))
        ):
            errors.append(FieldError("conflict_type_id", _("Unbekannte Konfliktart.")))
        if quartier_id and not await session.scalar(select(m.Quartier.id).where(m.Quartier.id == quartier_id)):
            errors.append(FieldError("quartier_id", _("Unbekanntes Quartier.")))
        if place_id:
            place_quartier = await session.scalar(select(m.Place.quartier_id).where(m.Place.id == place_id))
            if place_quartier is None:
                errors.append(FieldError("place_id", _("Unbekannter Ort.")))
            elif quartier_id and place_quartier != quartier_id:
                errors.append(FieldError("place_id", _("Der Ort liegt nicht im gewählten Quartier.")))
        if errors:
            raise ValidationFailed(errors)


class Listed(Protocol):
    """`case_list.listed` for one request's user and filters: `columns` or `base` of the matching cases."""

    def __call__(self, *columns: Any, base: Select[Any] | None = None) -> Select[Any]: ...


_LISTINGS: dict[tuple[object, ...], Any] = {}  # Select or DriverSelect, by purpose


def _count(listed: Listed) -> DriverSelect:
    matching = listed(m.Case.id).order_by(None).limit(bindparam("count_limit"))
    return DriverSelect(select(func.count()).select_from(matching.subquery()))


def _summary_page(listed: Listed) -> DriverSelect:
    return DriverSelect(_paged(listed(base=case_rows.SUMMARY)))


def _paged(statement: Select[Any]) -> Select[Any]:
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


def _page_parameters(user: Principal, filters: CaseFilters) -> dict[str, Any]:
    offset = (filters.page - 1) * filters.page_size
    return {**case_list.parameters(user, filters), "limit": filters.page_size, "offset": offset}
