"""Adding a party already known from another case, named by its pseudonym (the form's way to `party_id`).

People recognise a recurring party by the pseudonym on its page ("P-7K2M9Q"), not by an id. The
lookup only finds parties of cases the user may read, so typing pseudonyms reveals nothing else;
whether the party may join this case is then `ParticipationService.add`'s decision.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import msgspec
from sqlalchemy import select

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.domain.parties.participations import ParticipationService
from konfliktmanagement.domain.parties.services import visible_parties
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

PREFIX = "existing."


class ExistingPartyForm(msgspec.Struct, forbid_unknown_fields=True):
    pseudonym: Annotated[str, msgspec.Meta(min_length=1, max_length=20)]
    role: m.ParticipationRole
    status: m.ParticipationStatus = m.ParticipationStatus.ERFASST


async def add_by_pseudonym(
    participations: ParticipationService, user: m.User, case_id: UUID, form: ExistingPartyForm
) -> m.Participation:
    """Raises `ValidationFailed` with fields named as on the form (`existing.pseudonym`, …)."""
    pseudonym = form.pseudonym.strip().upper()
    party_id = await participations.repository.session.scalar(
        select(m.Party.id).where(m.Party.pseudonym == pseudonym, visible_parties(user))
    )
    if party_id is None:
        message = _("Keine Partei mit diesem Pseudonym in den Fällen, die Sie sehen dürfen.")
        raise ValidationFailed([FieldError(PREFIX + "pseudonym", message)])
    data = schemas.ParticipationCreate(role=form.role, status=form.status, party_id=party_id)
    try:
        return await participations.add(user, case_id, data)
    except ValidationFailed as exc:
        renamed = {"party_id": "pseudonym", "party": "pseudonym"}
        raise ValidationFailed(
            [FieldError(PREFIX + renamed.get(e.field, e.field), e.message) for e in exc.errors]
        ) from exc
