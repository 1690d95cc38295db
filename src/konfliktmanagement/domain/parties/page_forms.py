"""What the party pages' forms add to the area's input shapes: several forms on one page.

The participation page has one consent form per purpose and the new-party page a second form for a
known party; each names its fields `<prefix><field>`, so a message lands next to the right field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.parties import schemas
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.form_input import parse
from konfliktmanagement.lib.i18n import gettext as _

EXISTING = "existing."  # the fields of the "party from another case" form


class ConsentPurposeForm(msgspec.Struct):
    """The hidden field that says which of the page's consent forms was sent."""

    purpose: m.ConsentPurpose


def consent_prefix(purpose: m.ConsentPurpose) -> str:
    return f"{purpose.value}."


@contextmanager
def fields_under(prefix: str) -> Iterator[None]:
    """Name the fields of a service's `ValidationFailed` as the form does (`<prefix><field>`)."""
    try:
        yield
    except ValidationFailed as exc:
        errors = [
            FieldError(e.field if e.field.startswith(prefix) else prefix + e.field, e.message) for e in exc.errors
        ]
        raise ValidationFailed(errors) from exc


def ticked_consents(data: dict[str, object]) -> list[tuple[m.ConsentPurpose, schemas.ConsentInput]]:
    """The consents of the page's one consent form: each purpose whose box `<purpose>.given` is ticked
    (stored consents send it as a hidden field), with its dates; every wrong field named at once."""
    chosen: list[tuple[m.ConsentPurpose, schemas.ConsentInput]] = []
    errors: list[FieldError] = []
    for purpose in m.ConsentPurpose:
        prefix = consent_prefix(purpose)
        if not forms.checked(dict(data), prefix + "given"):
            continue
        try:
            chosen.append((purpose, parse(schemas.ConsentInput, dict(data), prefix=prefix)))
        except ValidationFailed as exc:
            errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    if not chosen:
        first = consent_prefix(next(iter(m.ConsentPurpose))) + "given"
        raise ValidationFailed([FieldError(first, _("Bitte mindestens eine Einwilligung ankreuzen."))])
    return chosen
