"""PDF from the simple HTML (or plain text) of our own templates, with fpdf2 (pure Python, no system fonts).

fpdf2's `write_html` understands headings, paragraphs, b/i/u, lists, `<table>` with th/td, br and hr; CSS,
`<head>`, `<style>` and `<script>` are dropped here. The built-in PDF fonts cover Latin-1, which has all
German letters; typographic characters beyond it are replaced by their plain equivalents (– → -, „“ → ").
"""

from __future__ import annotations

import html as html_lib
import re

from fpdf import FPDF

FONT = "helvetica"
_REPLACEMENTS = {
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus
    "\u201e": '"',
    "\u201c": '"',
    "\u201d": '"',
    "\u201a": "'",
    "\u2018": "'",
    "\u2019": "'",
    "\u2026": "...",
    "\u20ac": "EUR",
    "\u2022": "-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": "",
}
_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_DROPPED = re.compile(r"<(head|style|script)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BODY = re.compile(r"<body\b[^>]*>(.*)</body\s*>", re.IGNORECASE | re.DOTALL)


def latin1(text: str) -> str:
    """Text the built-in fonts can show: typographic characters simplified, anything else as '?'."""
    text = "".join(_REPLACEMENTS.get(char, char) for char in text)
    return text.encode("latin-1", errors="replace").decode("latin-1")


def _entity(match: re.Match[str]) -> str:
    char = html_lib.unescape(match.group(0))
    if char == match.group(0) or char.encode("latin-1", errors="ignore"):
        return match.group(0)  # unknown, or fine for the font: leave it to the HTML parser
    return latin1(char)


def _simple_html(markup: str) -> str:
    body = _BODY.search(markup)
    markup = _DROPPED.sub("", body.group(1) if body else markup)
    return latin1(_ENTITY.sub(_entity, markup))


class _Document(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(0, 10, f"Seite {self.page_no()} von {{nb}}", align="C")


def _new_document(title: str, compress: bool) -> _Document:
    pdf = _Document(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(latin1(title))
    pdf.set_lang("de")
    pdf.set_creator("Konfliktmanagement")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font(FONT, size=11)
    return pdf


def html_to_pdf(markup: str, *, title: str, compress: bool = True) -> bytes:
    """Render simple HTML (a whole page or a fragment) to PDF bytes."""
    pdf = _new_document(title, compress)
    pdf.write_html(_simple_html(markup))
    return bytes(pdf.output())


def text_to_pdf(text: str, *, title: str, compress: bool = True) -> bytes:
    """Render plain text (paragraphs separated by blank lines) to PDF bytes, the title as a heading."""
    pdf = _new_document(title, compress)
    pdf.set_font(FONT, style="B", size=16)
    pdf.multi_cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(0, 5.5, latin1(text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
