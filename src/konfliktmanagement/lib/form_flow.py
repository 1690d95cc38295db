"""The one flow of a page form: a POST either succeeds (flash + 303) or shows the form again.

A page POST handler parses and calls one service method inside `action`, and says how to show its
form (`render`), what to tell the person and where to go. Domain errors become:

- `ValidationFailed` → 422, the form again with each message next to its field;
- `StaleVersion` → 409 "Inzwischen geändert", the form again with what is stored now;
- `InvalidTransition` → 409, the form again with the workflow's reasons for refusing;
- any other domain error that names fields (e.g. a 403 asking to confirm an override) → its status,
  the form again with the messages next to the fields.

Everything else (404, 403, other conflicts) goes to the app's error handler like any other error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from litestar import Request
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import DomainError, InvalidTransition, StaleVersion

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FormState:
    """What a form shows: the person's input, messages by field, and why it is shown again."""

    submitted: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stale: bool = False  # someone else saved first: the stored values are shown
    refused: list[str] = field(default_factory=list)  # the workflow's reasons for refusing
    status_code: int = 200
    error: DomainError | None = None  # what sent the form back, for a page that cannot show it again

    def values(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The field values to show: the stored ones, overlaid by the input unless the record changed."""
        return dict(stored) if self.stale else {**stored, **self.submitted}

    def context(self, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The template variables the field macros use (`form`, `errors`, `stale`, `refused`)."""
        return {
            "form": self.values(stored or {}),
            "errors": self.errors,
            "stale": self.stale,
            "refused": self.refused,
        }

    def template(self, name: str, context: Mapping[str, Any], stored: Mapping[str, Any] | None = None) -> Template:
        return Template(template_name=name, context={**self.context(stored), **context}, status_code=self.status_code)


Render = Callable[[FormState], Awaitable[Template]]
Text = str | Callable[[T], str]


async def submit(
    request: Request[Any, Any, Any],
    data: Mapping[str, Any],
    action: Callable[[], Awaitable[T]],
    *,
    render: Render,
    message: Text[T],
    redirect: Text[T],
) -> Template | Redirect:
    """Run `action` (parse + one service call) and answer the browser as described in the module."""
    submitted = forms.submitted(dict(data))
    try:
        result = await action()
    except StaleVersion as exc:
        return await render(FormState(submitted, stale=True, status_code=409, error=exc))
    except InvalidTransition as exc:
        refused = [item["message"] for item in exc.extra.get("missing", [])] or [exc.detail]
        return await render(FormState(submitted, refused=refused, status_code=409, error=exc))
    except DomainError as exc:
        if not exc.errors:
            raise
        errors = {error.field: error.message for error in exc.errors}
        return await render(FormState(submitted, errors, status_code=exc.status_code, error=exc))
    flash(request, message(result) if callable(message) else message, category="success")
    target = redirect(result) if callable(redirect) else redirect
    return Redirect(path=forms.safe_next(forms.text(dict(data), "next"), target), status_code=303)
