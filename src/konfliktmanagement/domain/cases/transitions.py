"""The state machine at work: what a user may do next with a case, and performing a transition."""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from sqlalchemy import Connection, Update, bindparam, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import TrailHead, trail_head_columns, write_event
from konfliktmanagement.domain.cases import counts, next_days, schemas, workflow
from konfliktmanagement.domain.cases.access import Authority, CaseAccess, transition_authority
from konfliktmanagement.domain.cases.facts import facts_of_case, load_facts
from konfliktmanagement.domain.cases.loading import deny
from konfliktmanagement.domain.cases.services import CaseRepository
from konfliktmanagement.domain.cases.workflow import CaseFacts, Transition, TransitionInput
from konfliktmanagement.lib.clock import now
from konfliktmanagement.lib.exceptions import FieldError, InvalidTransition
from konfliktmanagement.lib.i18n import gettext as _
from konfliktmanagement.lib.patching import ensure_version
from konfliktmanagement.lib.services import Service

S = m.CaseStatus


def _input(request: schemas.TransitionRequest) -> TransitionInput:
    """What the workflow's guards check of the request: the fields the two share by name."""
    return msgspec.convert(request, TransitionInput, from_attributes=True)


def options(access: CaseAccess, facts: CaseFacts) -> list[schemas.TransitionOption]:
    """Every transition from the current state this user could take, with what is still missing."""
    result = []
    for transition in workflow.transitions_from(facts.status, facts.resume_to):
        authority = transition_authority(access, transition)
        if authority is None:
            continue
        # Inputs supplied with the request itself (reason, dates, outcome) are reported as missing
        # too, so a form knows what to ask for.
        missing = workflow.missing(transition, facts, TransitionInput())
        result.append(
            schemas.TransitionOption(
                to=transition.target,
                label=workflow.STATUS_LABELS[transition.target],
                allowed=not any(code not in workflow.REQUEST_INPUTS for code, _text in missing),
                override=authority is Authority.OVERRIDE,
                missing=[schemas.MissingItem(guard=code, message=text) for code, text in missing],
            )
        )
    return result


class WorkflowService(Service[m.Case, CaseRepository]):
    """Status changes of a case (DESIGN.md §3); the case comes loaded for writing, as its access object."""

    repository_type = CaseRepository

    async def options(self, access: CaseAccess) -> list[schemas.TransitionOption]:
        return options(access, await load_facts(self.session, access.case))

    async def perform(self, access: CaseAccess, request: schemas.TransitionRequest) -> m.Case:
        session = self.session
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
        attempted = f"transition:{transition.key}"
        authority = transition_authority(access, transition)
        if authority is None:
            raise deny(session, access, attempted, _("Diesen Statuswechsel dürfen Sie nicht vornehmen."))
        if authority is Authority.OVERRIDE:
            errors = []
            if not request.override:
                errors.append(FieldError("override", _("Bitte bestätigen Sie die Übersteuerung ausdrücklich.")))
            if not (request.reason and request.reason.strip()):
                errors.append(FieldError("reason", _("Bitte begründen Sie die Übersteuerung.")))
            if errors:
                raise deny(
                    session,
                    access,
                    attempted,
                    _("Als Koordination nur als ausdrückliche Übersteuerung mit Begründung (override, reason)."),
                    errors,
                )
        given = _input(request)
        facts = await load_facts(session, case) if transition.reads_records else facts_of_case(case)
        if missing := workflow.missing(transition, facts, given):
            raise InvalidTransition(
                _("Es fehlt: %(items)s") % {"items": "; ".join(text for _code, text in missing)},
                guard=missing[0][0],
                missing=[{"guard": code, "message": text} for code, text in missing],
                # What the request itself lacks is named at its field (a page marks it, e.g. a past date).
                errors=[FieldError(code, text) for code, text in missing if code in workflow.REQUEST_INPUTS],
            )
        details: dict[str, object] = {"override": authority is Authority.OVERRIDE}
        if given.outcome:
            details["outcome"] = given.outcome.value
        before = {name: getattr(case, name) for name in _LIFECYCLE}
        after = _apply(before, transition, given)

        def write(sync: Session) -> None:
            connection = sync.connection()
            head = _store(connection, case, before, after)
            write_event(
                connection,
                head,
                case_id=case.id,
                actor_id=access.user.id,
                action="transition",
                from_status=source.value,
                to_status=transition.target.value,
                reason=given.reason,
                details=details,
            )

        await session.flush()  # what the session holds is stored first, as before any write of the case
        await session.run_sync(write)
        return case


# What a transition changes on the case row.
_LIFECYCLE = (
    "status",
    "resume_to",
    "resubmission_date",
    "follow_up_date",
    "reopen_count",
    "outcome",
    "closure_reason",
    "referral_recipient",
    "no_follow_up_reason",
    "closed_at",
    "updated_at",
)


def _apply(before: dict[str, Any], transition: Transition, given: TransitionInput) -> dict[str, Any]:
    """The case row's lifecycle values after `transition`."""
    case = dict(before)
    source, target = transition.source, transition.target
    case["status"] = target.value
    case["updated_at"] = now()
    if target is S.RUHEND:
        case["resume_to"] = source.value
        case["resubmission_date"] = given.resubmission_date
    elif source is S.RUHEND:
        case["resume_to"] = None
        case["resubmission_date"] = None
    if target is S.NACHBETREUUNG:
        case["follow_up_date"] = given.follow_up_date or case["follow_up_date"]
    if source in workflow.CLOSED and target is S.IN_KLAERUNG:
        case["reopen_count"] += 1
        case["outcome"] = case["closure_reason"] = case["referral_recipient"] = case["no_follow_up_reason"] = None
        case["closed_at"] = None
    if target in workflow.CLOSED:
        case["closed_at"] = now()
        case["outcome"] = given.outcome.value if given.outcome else None
        case["closure_reason"] = given.reason
        if target is S.WEITERGELEITET:
            case["referral_recipient"] = given.recipient
        if source is S.VEREINBARUNG and target is S.ABGESCHLOSSEN:
            case["no_follow_up_reason"] = given.reason
    return case


def _store(connection: Connection, case: m.Case, before: dict[str, Any], after: dict[str, Any]) -> TrailHead:
    """Write the transition to the locked case row and what follows from it — `case_count`, the
    mediators' workload, Meine Fälle's next days — and answer the audit trail's head, read in the same
    statement. In Core: for one row whose new values are all known, the unit of work would add only its
    cost (and its listeners would work out from the attributes' history what is known here).

    `case` is updated in place as stored, so the response shows it and a later flush does not write it
    again."""
    parameters = {"case_id": case.id, "expected": case.version, **{f"new_{name}": after[name] for name in _LIFECYCLE}}
    row = connection.execute(_update(), parameters).first()
    if row is None:  # the row is locked since it was loaded: only a write that bypassed the lock gets here
        raise StaleDataError(f"case {case.id} changed since it was loaded")
    version, head_seq, head_hash = row
    for name, value in (*after.items(), ("version", version)):
        set_committed_value(case, name, value)
    counts.status_written(connection, case, before)
    next_days.refresh_written(connection, case.id, before, after)
    return TrailHead.of(head_seq, head_hash)


@cache
def _update() -> Update:
    """The case row's lifecycle values, its version checked and bumped, returning the new version and
    the audit trail's head (read after the row was locked: nothing is appended to it meanwhile)."""
    case_id = bindparam("case_id", type_=m.Case.id.type)
    head_seq, head_hash = trail_head_columns(case_id)
    columns = m.Case.__table__.c
    return (
        update(m.Case)
        .where(m.Case.id == case_id, m.Case.version == bindparam("expected", type_=columns.version.type))
        .values(
            {
                **{name: bindparam(f"new_{name}", type_=columns[name].type) for name in _LIFECYCLE},
                "version": m.Case.version + 1,
            }
        )
        .returning(m.Case.version, head_seq, head_hash)
    )
