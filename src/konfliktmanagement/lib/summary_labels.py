"""Error summaries name the field each message belongs to ("Titel: Bitte ausfüllen.").

The summary stands above the form and gets only `{field: message}`; the field's label is the one the
page itself shows (`<label for="f-NAME">`, or the `<legend>` of a fieldset `id="f-NAME"`). It is taken
from the rendered page (base.html filters its content), so a summary can never name a field
differently from its form, and a page needs no list of its labels.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup, escape

_SUMMARY_LINK = re.compile(r'<a href="#f-([a-z0-9_.-]+)" data-summary>')
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"""<span[^>]*(?:class="visually-hidden"|aria-hidden="true")[^>]*>.*?</span>""", re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", _HIDDEN.sub(" ", fragment))).split())


def _label(content: str, name: str) -> str:
    name = re.escape(name)
    found = re.search(rf'<label for="f-{name}"[^>]*>(.*?)</label>', content, re.S)
    if found is None:
        found = re.search(rf'<fieldset[^>]*id="f-{name}"[^>]*>\s*<legend[^>]*>(.*?)</legend>', content, re.S)
    return _text(found.group(1)) if found else ""


def name_summary_fields(content: str) -> Markup:
    """`content` (rendered, safe HTML) with each error summary link prefixed by its field's label."""
    page = str(content)

    def prefix(link: re.Match[str]) -> str:
        label = _label(page, link.group(1))
        return f'<a href="#f-{link.group(1)}">' + (f"{escape(label)}: " if label else "")

    return Markup(_SUMMARY_LINK.sub(prefix, page))  # noqa: S704 - rendered template output; the label is escaped
