"""Every body cell gets its column's header as `data-label`, so a table read as cards keeps its labels."""

from __future__ import annotations

from konfliktmanagement.lib.table_labels import label_table_cells

TABLE = """<table><thead><tr><th>Fall</th><th colspan="2">Termin &amp; Ort</th>
<th><span class="visually-hidden">Aktionen</span></th></tr></thead>
<tbody><tr><th scope="row">KM-1</th><td>12.03.</td><td data-label="Wo">Platz</td>
<td><a href="/x">Bearbeiten</a></td></tr>
</tbody><tfoot><tr><th>Summe</th><td>3</td></tr></tfoot></table>"""


def test_cells_are_labelled_by_their_column_header() -> None:
    out = str(label_table_cells(TABLE))
    assert '<th scope="row" data-label="Fall">KM-1</th>' in out
    assert '<td data-label="Termin &amp; Ort">12.03.</td>' in out  # a colspan header names both columns
    assert '<td data-label="Wo">Platz</td>' in out, "a label set by the template stays"
    assert '<td><a href="/x">' in out, "a visually hidden header gives no visible label"
    assert '<th data-label="Fall">Summe</th>' in out
    assert '<td data-label="Termin &amp; Ort">3</td>' in out
    assert out.count("data-label") == 5


def test_tables_without_a_header_and_other_markup_stay_as_they_are() -> None:
    plain = '<p>a < b</p><table><tr><td>1</td></tr></table><script src="/x.js"></script>'
    assert str(label_table_cells(plain)) == plain


def test_each_table_is_labelled_by_its_own_header() -> None:
    first = "<table><thead><tr><th>Fall</th></tr></thead><tbody><tr><td>KM-1</td></tr></tbody></table>"
    second = "<table><tbody><tr><td>ohne Kopf</td></tr></tbody></table>"
    third = "<table><thead><tr><th>Quartier</th><th>Fälle</th></tr></thead><tr><td>Süd</td><td>4</td></tr></table>"
    out = str(label_table_cells(first + second + third))
    assert '<td data-label="Fall">KM-1</td>' in out
    assert "<td>ohne Kopf</td>" in out, "a table without a header is left alone, also after one with a header"
    assert '<td data-label="Quartier">Süd</td><td data-label="Fälle">4</td>' in out
