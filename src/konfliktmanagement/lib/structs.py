"""Struct shapes every area's API shares: input with the checks every field gets, a stored record's answer
and its partial update, both carrying the record's `version` (optimistic locking); and filling an answer
from a row."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

import msgspec

from konfliktmanagement.lib import clock
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

S = TypeVar("S", bound=msgspec.Struct)


# Control characters other than tab, line feed and carriage return (textareas send CRLF): NUL above all,
# which PostgreSQL cannot store in text, and the rest, which no person types and no page can show.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 5


class Input(msgspec.Struct, forbid_unknown_fields=True):
    """What a person or client sends (JSON body or page form, both parse into these Structs).

    Checked here once for every field of every input: text without control characters, and dates in a
    plausible range — not before 2000, not more than `YEARS_AHEAD` years ahead, and not in the future
    for the fields a subclass names in `past_only` (something that has happened: given, answered, held).
    A bad field raises `ValidationFailed` naming it: 422 with the field's message (API) or the form
    again with the message next to the field (pages).
    """

    past_only: ClassVar[frozenset[str]] = frozenset()

    def __post_init__(self) -> None:
        errors = [
            FieldError(name, message)
            for name in self.__struct_fields__
            if (message := _implausible(getattr(self, name), past=name in self.past_only)) is not None
        ]
        if errors:
            raise ValidationFailed(errors)


def _implausible(value: object, *, past: bool) -> str | None:
    if isinstance(value, str):
        return _("Bitte ohne Steuerzeichen eingeben.") if _CONTROL.search(value) else None
    if isinstance(value, list):
        return next((m for item in value if (m := _implausible(item, past=past)) is not None), None)
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    if isinstance(value, date):
        today = clock.today()
        latest = today.replace(year=today.year + YEARS_AHEAD, day=min(today.day, 28))
        if value < EARLIEST:
            return _("Bitte ein Datum ab dem %(earliest)s angeben.") % {"earliest": EARLIEST.strftime("%d.%m.%Y")}
        if past and value > today:
            return _("Das Datum darf nicht in der Zukunft liegen.")
        if value > latest:
            return _("Bitte ein Datum bis zum %(latest)s angeben.") % {"latest": latest.strftime("%d.%m.%Y")}
    return None


class RecordPatch(Input):
    """A partial update of a stored record: fields left out stay as they are; `null` clears an optional
    field. `version` is the one the client last saw; a record changed since refuses the update."""

    version: int


class RecordOut(msgspec.Struct, kw_only=True):
    """A stored record as the API answers it, with the `version` a client sends back with its next change.

    The fields are keyword-only, which puts them after the fields a subclass declares (msgspec orders
    positional fields first): `id`, …, `created_at`, `updated_at`, `version`.
    """

    created_at: datetime
    updated_at: datetime
    version: int


def from_row(row: object, struct: type[S], /, **computed: Any) -> S:
    """`struct` from the attributes of `row` named like its fields, validated and converted by msgspec
    (a stored string to its enum; nested rows, also in lists, to nested Structs).

    `computed` gives the fields that are not one of the row's attributes as it stands (a sort order,
    a derived value, data hidden from this user). Only the attributes of the other fields are read,
    so a relationship behind a computed field is never touched (relationships are `lazy="raise"`).
    """
    unknown = computed.keys() - set(struct.__struct_fields__)
    if unknown:
        msg = f"{struct.__name__} has no fields {sorted(unknown)}"
        raise TypeError(msg)
    values = {name: computed[name] if name in computed else getattr(row, name) for name in struct.__struct_fields__}
    return msgspec.convert(values, struct, from_attributes=True)
