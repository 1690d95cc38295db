"""HTML form data → the msgspec input Structs the services take, with every field's error in German.

Pages and the JSON API share the input Structs, so a rule lives in one place (schema or service).
Browsers send every value as text, leave out unchecked boxes and send empty strings for empty
fields; this module turns that into what the Struct expects and reports *all* bad fields at once,
each under its form name (nested Structs as `party.name`), ready to show next to the field.
"""

from __future__ import annotations

import re
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

import msgspec
from msgspec import inspect

from konfliktmanagement.lib import forms
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.exceptions import FieldError, ValidationFailed
from konfliktmanagement.lib.i18n import gettext as _

S = TypeVar("S", bound=msgspec.Struct)

_NAIVE_LOCAL = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def parse(schema: type[S], data: dict[str, Any], *, prefix: str = "") -> S:
    """The Struct for `data`; raises `ValidationFailed` naming every field that is wrong."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, (hint, info) in _fields(schema).items():
        key = f"{prefix}{name}"
        try:
            present, raw = _raw(data, key, hint, info)
        except ValidationFailed as exc:
            errors.extend(exc.errors)
            continue
        if not present:
            continue
        try:
            values[name] = msgspec.convert(raw, hint, strict=False)
        except msgspec.ValidationError as exc:
            errors.append(FieldError(key, message_for(str(exc), list_field=_is_kind(info, inspect.ListType))))
    if errors:
        raise ValidationFailed(errors)
    try:
        return schema(**values)
    except ValidationFailed as exc:  # the checks every input gets (`lib/structs.Input`), named as in the form
        raise ValidationFailed([FieldError(f"{prefix}{e.field}", e.message) for e in exc.errors]) from exc
    except (TypeError, msgspec.ValidationError) as exc:  # a required field the form did not send
        missing = re.search(r"'(\w+)'|`(\w+)`", str(exc))
        field = next((g for g in missing.groups() if g), "") if missing else ""
        raise ValidationFailed([FieldError(f"{prefix}{field}", _("Bitte ausfüllen."))]) from exc


def field_errors(exc: ValidationFailed) -> dict[str, str]:
    """Errors by form field name, the shape templates use (`errors.get(name)`)."""
    return {error.field: error.message for error in exc.errors}


def _raw(data: dict[str, Any], key: str, hint: Any, info: inspect.Type) -> tuple[bool, Any]:
    """Whether the form gave this field, and its value as msgspec should see it."""
    optional = _is_kind(info, inspect.NoneType)
    if _is_kind(info, inspect.BoolType):
        return True, forms.checked(data, key)  # an unchecked box is simply absent
    if _is_kind(info, inspect.ListType):
        # Checkbox groups send a hidden empty value too, so "none ticked" still reaches us.
        if key not in data:
            return False, None
        return True, [v for v in forms.values(data, key) if v != ""]
    if struct := _struct_of(info):
        nested = f"{key}."
        if not any(name.startswith(nested) for name in data):
            return (True, None) if optional else (False, None)
        return True, msgspec.to_builtins(parse(struct, data, prefix=nested))
    if key not in data:
        return False, None
    text = forms.text(data, key).strip()
    if text == "":
        if optional:
            return True, None
        if _is_kind(info, inspect.StrType):
            return True, ""  # lets min_length speak ("Bitte ausfüllen.")
        raise ValidationFailed([FieldError(key, _("Bitte ausfüllen."))])
    if _is_kind(info, inspect.DateTimeType) and _NAIVE_LOCAL.match(text):
        # <input type="datetime-local"> sends wall-clock time: the office works in Berlin time.
        return True, datetime.fromisoformat(text).replace(tzinfo=BERLIN).isoformat()
    return True, text


def message_for(msgspec_message: str, *, list_field: bool = False) -> str:
    """A German message for a msgspec validation error; never echoes the input."""
    text = msgspec_message.split(" - at ")[0]
    if match := re.search(r"length >= (\d+)", text):
        count = int(match.group(1))
        return _("Bitte ausfüllen.") if count <= 1 else _("Mindestens %(n)d Zeichen.") % {"n": count}
    if match := re.search(r"length <= (\d+)", text):
        template = _("Höchstens %(n)d Einträge.") if list_field else _("Höchstens %(n)d Zeichen.")
        return template % {"n": int(match.group(1))}
    if match := re.search(r">= (-?\d+)", text):
        return _("Bitte eine Zahl ab %(n)s eingeben.") % {"n": match.group(1)}
    if match := re.search(r"<= (-?\d+)", text):
        return _("Bitte eine Zahl bis %(n)s eingeben.") % {"n": match.group(1)}
    if "matching regex" in text:
        return _("Bitte im richtigen Format eingeben.")
    if "enum" in text or "UUID" in text:
        return _("Bitte einen Eintrag aus der Liste wählen.")
    if "datetime" in text or "timezone" in text:
        return _("Bitte Datum und Uhrzeit angeben.")
    if "date" in text:
        return _("Bitte ein gültiges Datum angeben.")
    if re.search(r"`(int|float)\b", text):
        return _("Bitte eine Zahl eingeben.")
    return _("Ungültige Eingabe.")


@cache
def _fields(schema: type[msgspec.Struct]) -> dict[str, tuple[Any, inspect.Type]]:
    hints = typing.get_type_hints(schema, include_extras=True)
    return {name: (hints[name], inspect.type_info(hints[name])) for name in schema.__struct_fields__}


def _members(info: inspect.Type) -> tuple[inspect.Type, ...]:
    info = info.type if isinstance(info, inspect.Metadata) else info
    if isinstance(info, inspect.UnionType):
        return tuple(t.type if isinstance(t, inspect.Metadata) else t for t in info.types)
    return (info,)


def _is_kind(info: inspect.Type, kind: type[inspect.Type]) -> bool:
    return any(isinstance(member, kind) for member in _members(info))


def _struct_of(info: inspect.Type) -> type[msgspec.Struct] | None:
    return next((m.cls for m in _members(info) if isinstance(m, inspect.StructType)), None)
