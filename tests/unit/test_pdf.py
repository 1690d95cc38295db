"""lib/pdf.py: HTML becomes a tagged PDF with embedded fonts; typographic characters kept; nothing fetched."""

from __future__ import annotations

from konfliktmanagement.lib.pdf import html_to_pdf
from tests.helpers import pdf_facts


def test_a_fragment_becomes_a_tagged_german_pdf_with_embedded_fonts_and_no_fetch() -> None:
    # One render for all checks: WeasyPrint takes a good part of a second per document.
    pdf = html_to_pdf(
        '<h1>Bericht „Süd“ – 5 € …</h1><p>Straße &lt;5</p><img src="file:///etc/hostname" alt="Bild">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
        title="Bericht – Süd",
    )
    facts = pdf_facts(pdf)
    assert pdf.startswith(b"%PDF-")
    assert "Bericht „Süd“ – 5 € …" in facts.text  # no Latin-1 replacements any more
    assert "Straße <5" in facts.text
    assert "Seite 1 von 1" in facts.text
    assert facts.title == "Bericht – Süd"
    assert facts.lang == "de"
    assert facts.tagged
    assert facts.fonts_embedded
    assert all("DejaVu" in font for font in facts.fonts)
