"""The one flow of a page form: a POST either succeeds (flash + 303) or shows the form again.

A page describes each of its forms once, as a `PageForm`: how the page shows it (`render`), what to
tell the person on success and where they go on. The GET handler shows it; the POST handler submits
it with its `action` (parse + one service method). Domain errors become:

- `ValidationFailed` → 422, the form again with each message next to its field;
- `StaleVersion` → 409 "Inzwischen geändert", the form again with what is stored now;
- `InvalidTransition` → 409, the form again with the workflow's reasons for refusing;
- any other domain error that names fields (e.g. a 403 asking to confirm an override) → its status,
  the form again with the messages next to the fields.

Everything else (404, 403, other conflicts) goes to the app's error handler like any other error.

A form that also sits in a section of the case page (a quick action) names that section's renderer
(`section`). An htmx request (`HX-Request`) is then answered with the section alone, for htmx to swap
in place: on success with the message inside it (200, no flash, no redirect), on 422 and 409 with the
form open in it, as above. Without JavaScript the same form posts as usual and gets the 303.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from litestar import Request
from litestar.params import URLEncodedBody
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
    message: str = ""  # success, said inside the section an htmx request updates

    def values(self, stored: Mapping[str, Any]) -> dict[str, Any]:
        """The field values to show: the stored ones, overlaid by the input unless the record changed."""
        return dict(stored) if self.stale else {**stored, **self.submitted}

    def context(self, stored: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The template variables the field macros use (`form`, `errors`, `stale`, `refused`, and for a
        stale form `mine`: the person's own input, shown beside the stored values so nothing typed is lost)."""
        return {
            "form": self.values(stored or {}),
            "errors": self.errors,
            "stale": self.stale,
            "mine": _own_input(self.submitted) if self.stale else {},
            "refused": self.refused,
            "message": self.message,
        }

    def template(self, name: str, context: Mapping[str, Any], stored: Mapping[str, Any] | None = None) -> Template:
        return Template(template_name=name, context={**self.context(stored), **context}, status_code=self.status_code)


Render = Callable[[FormState], Awaitable[Template]]
Text = str | Callable[[T], str]
Form = URLEncodedBody[dict[str, Any]]  # the body of a page form
Answer = Template | Redirect  # the form again, or 303 to where the person goes on


@dataclass(frozen=True, slots=True)
class PageForm(Generic[T]):
    """One form of a page: how the page shows it, and on success what to say and where to go (`T` is
    what the form's service method answers, for messages and targets that name it)."""

    render: Render
    message: Text[T]
    redirect: Text[T]
    section: Render | None = None  # the case-page section this form also sits in (answers htmx requests)

    async def show(self) -> Template:
        """The page with the form as it first appears."""
        return await self.render(FormState())

    async def submit(
        self, request: Request[Any, Any, Any], data: Mapping[str, Any], action: Callable[[], Awaitable[T]]
    ) -> Answer:
        """Run `action` (parse + one service call) and answer the browser as described in the module."""
        submitted = forms.submitted(dict(data))
        in_place = self.section is not None and request.headers.get("hx-request") == "true"
        render = self.section if self.section is not None and in_place else self.render
        try:
            result = await action()
        except StaleVersion as exc:
            return await render(FormState(submitted, stale=True, status_code=409, error=exc))
        except InvalidTransition as exc:
            refused = [item["message"] for item in exc.extra.get("missing", [])] or [exc.detail]
            errors = {error.field: error.message for error in exc.errors}
            return await render(FormState(submitted, errors, refused=refused, status_code=409, error=exc))
        except DomainError as exc:
            if not exc.errors:
                raise
            errors = {error.field: error.message for error in exc.errors}
            return await render(FormState(submitted, errors, status_code=exc.status_code, error=exc))
        if in_place:
            return await render(FormState(message=_text(self.message, result)))
        flash(request, _text(self.message, result), category="success")
        return Redirect(
            path=forms.safe_next(forms.text(dict(data), "next"), _text(self.redirect, result)), status_code=303
        )


# Fields a person did not type: never shown back as "your input".
_NOT_TYPED = frozenset({"version", "next", "form", "purpose", "quick"})


def _own_input(submitted: Mapping[str, str]) -> dict[str, str]:
    """What the person typed into a form that was refused as stale, by field name (empty fields left out)."""
    return {name: value for name, value in submitted.items() if value.strip() and name not in _NOT_TYPED}


def _text(text: Text[T], result: T) -> str:
    return text(result) if callable(text) else text
