"""Reading an uploaded or pasted CSV table the way offices export them.

Spreadsheets in German offices write `;` as delimiter and often a byte-order mark; other tools
write `,`. Both are accepted. Problems with the file as a whole (too big, not UTF-8, no header)
are reported as sentences; problems of single rows are the importer's business.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from konfliktmanagement.lib.i18n import gettext as _

MAX_BYTES = 1_000_000
MAX_ROWS = 5000


@dataclass(slots=True)
class CsvRow:
    line: int  # the line in the file where the record ends (the header is line 1)
    cells: list[str]


@dataclass(slots=True)
class CsvTable:
    header: list[str] = field(default_factory=list)
    rows: list[CsvRow] = field(default_factory=list)
    delimiter: str = ";"


class CsvRefused(Exception):
    """The file cannot be read as a table at all; the message says why, in German."""


def decode(raw: bytes | str, limit: int = MAX_BYTES) -> str:
    """The text of an upload or a pasted table, without byte-order mark; refuses what is too big."""
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > limit:
        raise CsvRefused(
            _("Die Datei ist zu groß (%(size)s kB); erlaubt sind höchstens %(limit)s kB. Bitte teilen Sie sie auf.")
            % {"size": size // 1000, "limit": limit // 1000}
        )
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CsvRefused(
                _("Die Datei ist nicht UTF-8-kodiert. Bitte als „CSV UTF-8“ speichern und erneut hochladen.")
            ) from exc
    text = raw.removeprefix("\ufeff")
    if "\x00" in text:
        raise CsvRefused(_("Die Datei enthält Binärdaten und ist keine CSV-Datei."))
    if not text.strip():
        raise CsvRefused(_("Die Datei ist leer."))
    return text


def read_table(text: str) -> CsvTable:
    """Header and non-empty rows; the delimiter is taken from the header line."""
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    table = CsvTable(delimiter=_delimiter(header_line))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=table.delimiter, strict=True)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if not table.header:
                table.header = [cell.strip().lower() for cell in cells]
                continue
            if len(table.rows) >= MAX_ROWS:
                raise CsvRefused(
                    _("Die Datei hat mehr als %(limit)s Zeilen. Bitte teilen Sie sie auf.") % {"limit": MAX_ROWS}
                )
            table.rows.append(CsvRow(line=reader.line_num, cells=[cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise CsvRefused(
            _("Zeile %(line)s lässt sich nicht lesen (z. B. ein nicht geschlossenes Anführungszeichen).")
            % {"line": reader.line_num}
        ) from exc
    return table


def _delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=";,").delimiter
    except csv.Error:
        # One column only, or nothing the sniffer trusts: the German spreadsheet default.
        return "," if header_line.count(",") > header_line.count(";") else ";"
