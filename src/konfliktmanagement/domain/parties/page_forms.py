"""What the party pages' forms add to the area's input shapes: several forms on one page.

The participation page has one consent form per purpose and the new-party page a second form for a
known party; each names its fields `<prefix><field>`, so a message lands next to the right field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import msgspec

from konfliktmanagement.db import models as m
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed

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
