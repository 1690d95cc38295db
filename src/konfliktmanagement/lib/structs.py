"""Struct shapes every area's API shares: a stored record's answer and its partial update, both carrying
the record's `version` (optimistic locking); and filling an answer from a row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

import msgspec

S = TypeVar("S", bound=msgspec.Struct)


class RecordPatch(msgspec.Struct, forbid_unknown_fields=True):
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
