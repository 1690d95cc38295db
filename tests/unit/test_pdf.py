"""lib/pdf.py: simple HTML and text become a PDF, German text included, page furniture dropped."""

from __future__ import annotations

import re

from konfliktmanagement.lib.pdf import html_to_pdf, latin1, text_to_pdf

PAGE = """<!doctype html><html lang="de"><head><title>Kopf</title><style>p { color: red }</style></head>
<body><h1>Bericht &ndash; Süd</h1><p>Straße „Am Markt“ … &lt;5 &amp; mehr</p>
<ul><li>Lärm</li></ul>
<table border="1"><thead><tr><th>Quartier</th><th>Fälle</th></tr></thead>
<tbody><tr><td>Süd</td><td>&lt;5</td></tr></tbody></table><script>alert(1)</script></body></html>"""


def shown_text(pdf: bytes) -> str:
    return " ".join(s.decode("latin-1") for s in re.findall(rb"\((.*?)\) ?Tj", pdf))


def test_html_becomes_a_pdf_with_its_text_and_without_head_style_or_script() -> None:
    pdf = html_to_pdf(PAGE, title="Bericht – Süd", compress=False)
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = shown_text(pdf)
    for expected in ("Bericht - Süd", 'Straße "Am Markt" ... <5 & mehr', "Lärm", "Quartier", "Fälle", "<5", "Seite 1"):
        assert expected in text
    for dropped in ("Kopf", "color", "alert"):
        assert dropped not in text


def test_compressed_output_is_a_pdf_too() -> None:
    pdf = html_to_pdf("<p>Hallo</p>", title="T")
    assert pdf.startswith(b"%PDF-")
    assert b"Hallo" not in pdf


def test_plain_text_with_paragraphs() -> None:
    pdf = text_to_pdf("Erster Absatz.\n\nZweiter „Absatz“ – mit Ümlaut.", title="Überschrift", compress=False)
    text = shown_text(pdf)
    assert "Überschrift" in text
    assert "Erster Absatz." in text
    assert 'Zweiter "Absatz" - mit Ümlaut.' in text


def test_characters_beyond_latin1_are_simplified_or_replaced() -> None:
    assert latin1("„a“ – b … 5 €") == '"a" - b ... 5 EUR'
    assert latin1("ÄÖÜäöüß") == "ÄÖÜäöüß"
    assert latin1("Ω✓") == "??"


def test_long_text_breaks_across_pages() -> None:
    pdf = text_to_pdf("\n".join(f"Zeile {n}" for n in range(200)), title="Lang", compress=False)
    assert "Seite 3 von" in shown_text(pdf)
