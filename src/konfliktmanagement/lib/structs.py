"""Output Structs of the API: the fields every stored record answers with, and filling a Struct from a row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


class RecordOut(msgspec.Struct, kw_only=True):
    """A stored record as the API answers it. Every answer carries the record's `version`: a client
    sends it back with its next change, and a newer version refuses the change (optimistic locking).

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
