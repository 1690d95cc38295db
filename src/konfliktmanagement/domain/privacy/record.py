"""The record of processing activities (Verzeichnis von Verarbeitungstätigkeiten, Art. 30 GDPR),
generated from the column classification in the model metadata (`db/classification.py`) and the
retention policies in force — so it cannot drift from what the database holds."""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass

from advanced_alchemy.base import orm_registry

from konfliktmanagement.db.classification import Classification, Purpose, RetentionClass, classification_of
from konfliktmanagement.domain.labels import label
from konfliktmanagement.domain.privacy.policies import Policy
from konfliktmanagement.lib.i18n import gettext as _


@dataclass(frozen=True, slots=True)
class ColumnEntry:
    table: str
    column: str
    classification: Classification


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    lines: list[str]


def columns() -> list[ColumnEntry]:
    entries = []
    for table in sorted(orm_registry.metadata.tables.values(), key=lambda t: t.name):
        for column in table.columns:
            found = classification_of(column)
            if found is None:
                msg = f"column {table.name}.{column.name} has no privacy classification"
                raise LookupError(msg)
            entries.append(ColumnEntry(table.name, column.name, found))
    return entries


def _retention(data_class: RetentionClass, policies: dict[RetentionClass, Policy]) -> str:
    if data_class in policies:
        policy = policies[data_class]
        return _("%(period)s (Version %(version)s)") % {"period": policy.period, "version": policy.version}
    kept = {
        RetentionClass.SKELETON: _("dauerhaft, ohne Personenbezug nach der Archivierung"),
        RetentionClass.ACCOUNT: _("solange das Konto besteht"),
        RetentionClass.MASTER_DATA: _("dauerhaft (keine personenbezogenen Daten)"),
        RetentionClass.PUBLICATION: _("dauerhaft (nur anonymisierte Werte)"),
        RetentionClass.AUDIT: _("dauerhaft; Freitexte werden mit dem Fall gelöscht"),
    }
    return kept[data_class]


def sections(policies: dict[RetentionClass, Policy]) -> list[Section]:
    entries = columns()
    by_class: dict[RetentionClass, list[ColumnEntry]] = defaultdict(list)
    for entry in entries:
        if entry.classification.personal:
            by_class[entry.classification.retention].append(entry)
    # Every purpose data is processed for (statistics included: anonymised, but processed from personal data).
    purposes = sorted({e.classification.purpose for e in entries} - {Purpose.OPERATION, Purpose.MASTER_DATA})
    special = [f"{e.table}.{e.column}" for e in entries if e.classification.special_category]
    data_lines = []
    for data_class in RetentionClass:
        if data_class not in by_class:
            continue
        cols = ", ".join(f"{e.table}.{e.column}" for e in by_class[data_class])
        data_lines.append(
            f"{label(data_class)} — {_('Löschfrist')}: {_retention(data_class, policies)}. {_('Spalten')}: {cols}"
        )
    return [
        Section(
            _("Verantwortliche Stelle und Zweck"),
            [
                _("Die Stelle der Stadt, die die Gemeinwesenmediation betreibt (Name und Anschrift ergänzt das Amt)."),
                *(label(p) for p in purposes),
            ],
        ),
        Section(
            _("Kategorien betroffener Personen"),
            [
                _("Konfliktparteien: Personen, Organisationen, informelle Gruppen"),
                _("Mitarbeitende: Mediator:innen, Koordination, Administration"),
                _("Mitglieder Runder Tische (nur Konto und Organisation)"),
            ],
        ),
        Section(_("Kategorien personenbezogener Daten und Löschfristen"), data_lines),
        Section(
            _("Besondere Kategorien (Art. 9 DSGVO)"),
            [
                _("Freitexte können Gesundheit, Herkunft oder Religion betreffen; sie gelten als besondere Kategorie:"),
                ", ".join(special),
            ],
        ),
        Section(
            _("Empfänger"),
            [
                _(
                    "Keine Übermittlung an Dritte. Runde Tische erhalten nur anonymisierte, gestörte Statistiken "
                    "und freigegebene, anonymisierte Notizen."
                ),
                _("Öffentlichkeit: nur veröffentlichte, gestörte Statistiken (Cell Key Method)."),
            ],
        ),
        Section(
            _("Technische und organisatorische Maßnahmen"),
            [
                _("Verschlüsselung der Kontaktdaten in der Datenbank (Fernet, Schlüssel außerhalb der Datenbank)"),
                _(
                    "Pseudonymisierung: Parteien erscheinen überall außer auf ihrer eigenen Seite "
                    "als Alias und Pseudonym"
                ),
                _("Rollen- und fallbezogene Berechtigungen; vertrauliche Notizen nur für die Mediator:innen des Falls"),
                _("Hash-verketteter Prüfpfad je Fall (konfliktmanagement audit verify), auch nach Löschungen prüfbar"),
                _("Statistik nur mit Cell Key Method (CKM) und Mindestfallzahlen"),
                _("Keine personenbezogenen Daten in Protokollen; Löschprotokoll ohne personenbezogene Daten"),
                _("Automatische Löschung nach den Fristen dieses Verzeichnisses; Aufbewahrungssperre je Fall"),
            ],
        ),
    ]


def as_markdown(policies: dict[RetentionClass, Policy]) -> str:
    lines = [f"# {_('Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)')}", ""]
    lines.append(_("Verarbeitung: Konfliktmanagement – Fallverwaltung der Gemeinwesenmediation"))
    for section in sections(policies):
        lines += ["", f"## {section.title}", ""]
        lines += [f"- {line}" for line in section.lines]
    lines += [
        "",
        f"## {_('Spalten')}",
        "",
        "| Tabelle.Spalte | personenbezogen | Art. 9 | Löschklasse | Zweck |",
        "|---|---|---|---|---|",
    ]
    for entry in columns():
        c = entry.classification
        lines.append(
            f"| {entry.table}.{entry.column} | {_('ja') if c.personal else _('nein')} | "
            f"{_('ja') if c.special_category else _('nein')} | {c.retention.value} | {c.purpose.value} |"
        )
    return "\n".join(lines) + "\n"


def as_html(policies: dict[RetentionClass, Policy]) -> str:
    e = html.escape
    parts = [f"<h1>{e(_('Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)'))}</h1>"]
    for section in sections(policies):
        parts.append(f"<h2>{e(section.title)}</h2><ul>")
        parts += [f"<li>{e(line)}</li>" for line in section.lines]
        parts.append("</ul>")
    parts.append(
        f"<h2>{e(_('Spalten'))}</h2><table><thead><tr><th>Tabelle.Spalte</th><th>personenbezogen</th>"
        "<th>Art. 9</th><th>Löschklasse</th><th>Zweck</th></tr></thead><tbody>"
    )
    for entry in columns():
        c = entry.classification
        parts.append(
            f"<tr><td>{e(entry.table)}.{e(entry.column)}</td><td>{e(_('ja') if c.personal else _('nein'))}</td>"
            f"<td>{e(_('ja') if c.special_category else _('nein'))}</td><td>{e(c.retention.value)}</td>"
            f"<td>{e(c.purpose.value)}</td></tr>"
        )
    parts.append("</tbody></table>")
    return "\n".join(parts) + "\n"
