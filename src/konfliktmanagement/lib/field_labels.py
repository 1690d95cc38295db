"""The label of each form field, so an error summary names the field it links to.

The summary stands above the form, before its fields are rendered, and gets only `{field: message}`.
The labels are the ones the templates give the field macros (`input("title", _("Titel"), …)`), read
once from the templates themselves, so a summary can never name a field differently from its form.
Where one field name has different labels on different forms, the first template (by path) wins.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_CALL = re.compile(r"""\b(?:input|textarea|select|checkboxes|radios|checkbox)\(\s*"([a-z_]+)",\s*_\("([^"]+)"\)""")


@cache
def field_labels(templates_dir: str) -> dict[str, str]:
    """{field name: label msgid} of every field macro call under `templates_dir`."""
    labels: dict[str, str] = {}
    for path in sorted(Path(templates_dir).rglob("*.html")):
        for name, label in _CALL.findall(path.read_text(encoding="utf-8")):
            labels.setdefault(name, label)
    return labels
