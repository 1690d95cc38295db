"""Performing a transition of the state machine, and listing what a user may do next."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases import schemas, workflow
from konfliktmanagement.domain.cases.access import CaseRole
from konfliktmanagement.domain.cases.facts import load_facts
from konfliktmanagement.domain.cases.loading import CASE_DETAIL_LOAD, CaseAccess, deny, load_case
from konfliktmanagement.domain.cases.workflow import Actor, Transition, TransitionInput
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import InvalidTransition
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version

S = m.CaseStatus


def _authority(user: m.User, access: CaseAccess, transition: Transition) -> str | None:
    """ "direct", "override" (a coordinator doing a mediator's step) or None (not allowed at all)."""
    actors = transition.actors
    if access.role is CaseRole.ASSIGNED_MEDIATOR and Actor.MEDIATOR in actors:
        return "direct"
    if user.has_role(m.Role.COORDINATOR):
        if Actor.COORDINATOR in actors:
            return "direct"
        if Actor.MEDIATOR in actors:
            return "override"
    return None


def _input(request: schemas.TransitionRequest) -> TransitionInput:
    return TransitionInput(
        reason=request.reason,
        outcome=request.outcome,
        recipient=request.recipient,
        resubmission_date=request.resubmission_date,
        follow_up_date=request.follow_up_date,
    )


async def options(session: AsyncSession, user: m.User, case_id: UUID) -> list[schemas.TransitionOption]:
    """Every transition from the current state this user could take, with what is still missing."""
    access = await load_case(session, user, case_id, attempted="read")
    facts = await load_facts(session, access.case)
    result = []
    for transition in workflow.transitions_from(facts.status, facts.resume_to):
        authority = _authority(user, access, transition)
        if authority is None:
            continue
        # Inputs supplied with the request itself (reason, dates, outcome) are reported as missing
        # too, so a form knows what to ask for.
        missing = workflow.missing(transition, facts, TransitionInput())
        result.append(
            schemas.TransitionOption(
                to=transition.target,
                label=workflow.STATUS_LABELS[transition.target],
                allowed=not any(code not in _REQUEST_INPUTS for code, _text in missing),
                override=authority == "override",
                missing=[schemas.MissingItem(guard=code, message=text) for code, text in missing],
            )
        )
    return result


# Guards satisfied by what the transition request carries rather than by case data.
_REQUEST_INPUTS = frozenset({"reason", "recipient", "outcome", "resubmission_date", "follow_up_date"})


async def perform(session: AsyncSession, user: m.User, case_id: UUID, request: schemas.TransitionRequest) -> m.Case:
    access = await load_case(
        session, user, case_id, attempted=f"transition:{request.to.value}", for_write=True, options=CASE_DETAIL_LOAD
    )
    case = access.case
    if request.version is not None:
        ensure_version(case, request.version)
    source = S(case.status)
    transition = next(
        (
            t
            for t in workflow.transitions_from(source, S(case.resume_to) if case.resume_to else None)
            if t.target is request.to
        ),
        None,
    )
    if transition is None:
        raise InvalidTransition(
            _("Von „%(source)s“ nach „%(target)s“ ist kein Statuswechsel vorgesehen.")
            % {"source": workflow.STATUS_LABELS[source], "target": workflow.STATUS_LABELS[request.to]},
            guard="state",
        )
    authority = _authority(user, access, transition)
    if authority is None:
        raise deny(
            session, access, user, f"transition:{transition.key}", _("Diesen Statuswechsel dürfen Sie nicht vornehmen.")
        )
    if authority == "override" and not (request.override and request.reason and request.reason.strip()):
        raise deny(
            session,
            access,
            user,
            f"transition:{transition.key}",
            _("Als Koordination nur als ausdrückliche Übersteuerung mit Begründung (override, reason)."),
        )
    given = _input(request)
    facts = await load_facts(session, case)
    if missing := workflow.missing(transition, facts, given):
        raise InvalidTransition(
            _("Es fehlt: %(items)s") % {"items": "; ".join(text for _code, text in missing)},
            guard=missing[0][0],
            missing=[{"guard": code, "message": text} for code, text in missing],
        )
    _apply(case, transition, given)
    await session.flush()
    details: dict[str, object] = {"override": authority == "override"}
    if given.outcome:
        details["outcome"] = given.outcome.value
    await append_event(
        session,
        case_id=case.id,
        actor_id=user.id,
        action="transition",
        from_status=source.value,
        to_status=transition.target.value,
        reason=given.reason,
        details=details,
    )
    return case


def _apply(case: m.Case, transition: Transition, given: TransitionInput) -> None:
    source, target = transition.source, transition.target
    case.status = target.value
    case.updated_at = now()
    if target is S.RUHEND:
        case.resume_to = source.value
        case.resubmission_date = given.resubmission_date
    elif source is S.RUHEND:
        case.resume_to = None
        case.resubmission_date = None
    if target is S.NACHBETREUUNG:
        case.follow_up_date = given.follow_up_date or case.follow_up_date
    if source in workflow.CLOSED and target is S.IN_KLAERUNG:
        case.reopen_count += 1
        case.outcome = case.closure_reason = case.referral_recipient = case.no_follow_up_reason = None
        case.closed_at = None
    if target in workflow.CLOSED:
        case.closed_at = now()
        case.outcome = given.outcome.value if given.outcome else None
        case.closure_reason = given.reason
        if target is S.WEITERGELEITET:
            case.referral_recipient = given.recipient
        if source is S.VEREINBARUNG and target is S.ABGESCHLOSSEN:
            case.no_follow_up_reason = given.reason
