"""PDF from the HTML and CSS of our own templates, with WeasyPrint (tagged PDF/UA-1, fonts embedded).

The document's language and title come from the markup (`<html lang="de">`, `<title>`); `title` is a
fallback for fragments. Fonts are the system's DejaVu family (Debian `fonts-dejavu-core`, installed by
`make pdf-tools` and `docker/Dockerfile`) and are embedded as subsets, so „ “ – … € print as written.
Nothing is fetched while rendering: documents are self-contained (inline CSS, inline SVG), and any URL
in them is refused, so a template can never make the server load a remote or local file.
"""

from __future__ import annotations

import html as html_lib

BASE_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: "Seite " counter(page) " von " counter(pages); font-size: 8pt; color: #555; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.4; color: #111; }
body { margin: 0; }
h1 { font-size: 18pt; margin: 0 0 6mm; }
h2 { font-size: 13pt; margin: 8mm 0 3mm; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; }
p, li { text-align: left; hyphens: manual; }
table { border-collapse: collapse; margin: 2mm 0 4mm; }
th, td { border-bottom: 0.5pt solid #999; padding: 1mm 3mm 1mm 0; text-align: left; vertical-align: top; }
thead th { border-bottom: 1pt solid #111; }
"""


def html_to_pdf(markup: str, *, title: str, stylesheet: str = "") -> bytes:
    """Render an HTML page (or a fragment, wrapped into one) to tagged PDF bytes.

    `stylesheet` is added after the base style (e.g. the report's own layout and page marks).
    """
    # Imported here: WeasyPrint and its font machinery take a while to load, and only PDF routes need it.
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]  # WeasyPrint ships no type hints
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    if "<html" not in markup.lower():
        markup = (
            f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{html_lib.escape(title)}</title>'
            f"</head><body>{markup}</body></html>"
        )
    document = HTML(string=markup, url_fetcher=URLFetcher(allowed_protocols=()))  # no scheme allowed
    sheets = [CSS(string=BASE_CSS)] + ([CSS(string=stylesheet)] if stylesheet else [])
    pdf: bytes = document.write_pdf(stylesheets=sheets, pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=False)
    return pdf
