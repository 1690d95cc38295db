"""The case list as CSV (`GET /cases/export.csv`): the columns of the list, parties by pseudonym only.

Semicolon-separated like the statistics downloads (German spreadsheets), the header in the first line,
every cell neutralised by `lib/csv_safe.py` (titles and place names are typed by people). Parties
appear as "alias (pseudonym)"; their names and contact data are never read for it.
"""

from __future__ import annotations

import io

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.cases.services import CaseExport
from konfliktmanagement.domain.labels import label_of
from konfliktmanagement.lib import csv_safe
from konfliktmanagement.lib.clock import BERLIN
from konfliktmanagement.lib.i18n import gettext as _


def _header() -> list[str]:
    return [
        _("Aktenzeichen"),
        _("Titel"),
        _("Status"),
        _("Quartier"),
        _("Ort"),
        _("Konfliktart"),
        _("Mediator:innen"),
        _("Wiedervorlage"),
        _("Nachbetreuung"),
        _("Parteien (Pseudonyme)"),
        _("Angelegt am"),
    ]


def _row(case: m.Case, parties: list[str]) -> list[object]:
    return [
        case.reference,
        case.title,
        label_of(m.CaseStatus, case.status),
        case.quartier.name if case.quartier else "",
        case.place.name if case.place else "",
        case.conflict_type.label if case.conflict_type else "",
        ", ".join(sorted(link.user.name for link in case.mediator_links)),
        case.resubmission_date.isoformat() if case.resubmission_date else "",
        case.follow_up_date.isoformat() if case.follow_up_date else "",
        ", ".join(parties),
        case.created_at.astimezone(BERLIN).date().isoformat(),
    ]


def case_list_csv(export: CaseExport) -> str:
    out = io.StringIO()
    writer = csv_safe.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(_header())
    for case in export.items:
        writer.writerow(_row(case, export.parties.get(case.id, [])))
    return out.getvalue()
