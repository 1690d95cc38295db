"""The state machine at work: what a user may do next with a case, and performing a transition."""

from __future__ import annotations

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.audit.trail import append_event
from konfliktmanagement.domain.cases import schemas, workflow
from konfliktmanagement.domain.cases.access import Authority, CaseAccess, transition_authority
from konfliktmanagement.domain.cases.facts import load_facts, load_facts_for_change
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
        facts, head = await load_facts_for_change(session, case)
        if missing := workflow.missing(transition, facts, given):
            raise InvalidTransition(
                _("Es fehlt: %(items)s") % {"items": "; ".join(text for _code, text in missing)},
                guard=missing[0][0],
                missing=[{"guard": code, "message": text} for code, text in missing],
                # What the request itself lacks is named at its field (a page marks it, e.g. a past date).
                errors=[FieldError(code, text) for code, text in missing if code in workflow.REQUEST_INPUTS],
            )
        _apply(case, transition, given)
        await session.flush()
        details: dict[str, object] = {"override": authority is Authority.OVERRIDE}
        if given.outcome:
            details["outcome"] = given.outcome.value
        await append_event(
            session,
            case_id=case.id,
            actor_id=access.user.id,
            action="transition",
            from_status=source.value,
            to_status=transition.target.value,
            reason=given.reason,
            details=details,
            head=head,
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
