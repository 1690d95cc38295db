"""The import pages: upload or paste → preview of every row → confirm (all rows or none).

CSV for quartiers and places, GeoJSON for the quartiers' boundaries (one preview row per feature).

The forms are multipart so that a file and the confirm form's CSV text travel unencoded; the
request size limit leaves room for a file at the import's own limit plus the form around it.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import MultipartBody
from litestar.response import Template

from konfliktmanagement.domain.accounts.deps import SignedIn
from konfliktmanagement.domain.accounts.guards import requires_admin
from konfliktmanagement.domain.quartiers import boundaries, csv_table
from konfliktmanagement.domain.quartiers.deps import import_dependencies
from konfliktmanagement.domain.quartiers.import_rules import COLUMNS, REQUIRED, ImportKind
from konfliktmanagement.domain.quartiers.importing import ImportPlan, ImportRefused, ImportService
from konfliktmanagement.lib import forms
from konfliktmanagement.lib.exceptions import ValidationFailed
from konfliktmanagement.lib.form_flow import Answer, FormState, PageForm
from konfliktmanagement.lib.form_input import field_errors
from konfliktmanagement.lib.i18n import gettext as _

User = SignedIn
Form = MultipartBody[dict[str, Any]]
Service = NamedDependency[ImportService]
# Well above the import's own limit (the confirm form carries the CSV as base64, a third more), so
# that an oversized file still reaches the import and gets its clear message instead of a bare 413.
REQUEST_LIMIT = 10 * csv_table.MAX_BYTES


def _form(form: dict[str, str] | None = None, errors: dict[str, str] | None = None) -> Template:
    return Template(
        template_name="admin/import.html",
        context={
            "form": form or {"kind": ImportKind.QUARTIERS.value},
            "errors": errors or {},
            "columns": COLUMNS,
            "required": REQUIRED,
            "max_kb": csv_table.MAX_BYTES // 1000,
            "max_rows": csv_table.MAX_ROWS,
            "max_geojson_kb": boundaries.MAX_BYTES // 1000,
        },
        status_code=422 if errors else 200,
    )


def _preview(plan: ImportPlan, *, status: int = 200) -> Template:
    return Template(template_name="admin/import_preview.html", context={"plan": plan}, status_code=status)


async def _upload(data: dict[str, Any]) -> bytes | None:
    upload = data.get("file")
    if isinstance(upload, list):  # only one file is expected; a list means a crafted request
        upload = upload[0] if upload else None
    if not isinstance(upload, UploadFile):
        return None
    return await upload.read()


class ImportPageController(Controller):
    path = "/admin/import"
    guards = [requires_admin]  # noqa: RUF012
    dependencies = import_dependencies

    @get("/", name="admin_import")
    async def index(self) -> Template:
        return _form()

    @post("/", request_max_body_size=REQUEST_LIMIT)
    async def preview(self, imports: Service, data: Form) -> Template:
        kept = {"kind": forms.text(data, "kind"), "csv_text": forms.text(data, "csv_text")}
        try:
            plan = await imports.preview(kept["kind"], await _upload(data), kept["csv_text"])
        except ValidationFailed as exc:
            return _form(kept, field_errors(exc))
        # A file that cannot be imported answers 422, so tools and tests see the refusal.
        return _preview(plan, status=422 if plan.has_errors else 200)

    @post("/apply", request_max_body_size=REQUEST_LIMIT)
    async def apply(self, request: User, imports: Service, data: Form) -> Answer:
        kind = forms.text(data, "kind")

        async def render(state: FormState) -> Template:
            if isinstance(state.error, ImportRefused):
                return _preview(state.error.plan, status=422)
            return _form({"kind": kind}, state.errors)

        form = PageForm(render, message=_imported, redirect="/admin/master-data")
        return await form.submit(request, data, lambda: imports.apply(kind, forms.text(data, "csv")))


def _imported(plan: ImportPlan) -> str:
    counts = plan.counts
    return _("Import abgeschlossen: %(new)s neu, %(changed)s geändert, %(same)s unverändert.") % {
        "new": counts["neu"],
        "changed": counts["geaendert"],
        "same": counts["unveraendert"],
    }
