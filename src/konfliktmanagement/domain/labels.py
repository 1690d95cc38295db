"""German names of every code value the pages show: one table, translated when shown.

Templates use `label(value)` for a single value and `choices(EnumClass)` for a select or radio group.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from konfliktmanagement.db import models as m
from konfliktmanagement.db.classification import Purpose, RetentionClass
from konfliktmanagement.domain.cases import workflow
from konfliktmanagement.lib.i18n import N_, gettext

# Members of different enums may share a value ("runder_tisch"), and StrEnum members hash as their
# string: the lookup key is (class, value) so they never collide.
_TABLE: tuple[tuple[StrEnum, str], ...] = (
    (m.MediationPhase.AUFTRAGSKLAERUNG, N_("Auftragsklärung")),
    (m.MediationPhase.THEMENSAMMLUNG, N_("Themensammlung")),
    (m.MediationPhase.INTERESSENKLAERUNG, N_("Interessenklärung")),
    (m.MediationPhase.OPTIONEN, N_("Optionen")),
    (m.MediationPhase.VEREINBARUNG, N_("Vereinbarung")),
    (m.ReferralSource.BUERGER, N_("Bürger:in")),
    (m.ReferralSource.ORDNUNGSAMT, N_("Ordnungsamt")),
    (m.ReferralSource.POLIZEI, N_("Polizei")),
    (m.ReferralSource.QUARTIERSBUERO, N_("Quartiersbüro")),
    (m.ReferralSource.RUNDER_TISCH, N_("Runder Tisch")),
    (m.ReferralSource.WOHNUNGSGESELLSCHAFT, N_("Wohnungsgesellschaft")),
    (m.ReferralSource.JUGENDARBEIT, N_("Jugendarbeit")),
    (m.ReferralSource.SONSTIGE, N_("Sonstige")),
    (m.Urgency.NIEDRIG, N_("niedrig")),
    (m.Urgency.NORMAL, N_("normal")),
    (m.Urgency.HOCH, N_("hoch")),
    (m.PartyKind.PERSON, N_("Person")),
    (m.PartyKind.ORGANISATION, N_("Organisation")),
    (m.PartyKind.INFORMAL_GROUP, N_("informelle Gruppe")),
    (m.ParticipationRole.ANLIEGEND, N_("anliegend / beschwerdeführend")),
    (m.ParticipationRole.BETROFFEN, N_("betroffen")),
    (m.ParticipationRole.INSTITUTION, N_("Institution")),
    (m.ParticipationRole.UNTERSTUETZUNG, N_("Unterstützer:in")),
    (m.ParticipationStatus.ERFASST, N_("erfasst")),
    (m.ParticipationStatus.INFORMIERT, N_("informiert")),
    (m.ParticipationStatus.ZUGESTIMMT, N_("zugestimmt")),
    (m.ParticipationStatus.ABGELEHNT, N_("abgelehnt")),
    (m.ParticipationStatus.ZURUECKGEZOGEN, N_("zurückgezogen")),
    (m.ConsentPurpose.MEDIATION, N_("Mediation")),
    (m.ConsentPurpose.DOCUMENTATION, N_("Dokumentation der Vereinbarung")),
    (m.ConsentPurpose.CONTACT, N_("Kontaktaufnahme")),
    (m.SessionKind.VORGESPRAECH, N_("Vorgespräch")),
    (m.SessionKind.GEMEINSAME_SITZUNG, N_("gemeinsame Sitzung")),
    (m.SessionKind.RUNDER_TISCH, N_("Runder-Tisch-Sitzung")),
    (m.SessionKind.ORTSBEGEHUNG, N_("Ortsbegehung")),
    (m.SessionKind.NACHTREFFEN, N_("Nachtreffen")),
    (m.SessionStatus.GEPLANT, N_("geplant")),
    (m.SessionStatus.DURCHGEFUEHRT, N_("durchgeführt")),
    (m.SessionStatus.ABGESAGT, N_("abgesagt")),
    (m.SessionStatus.VERSCHOBEN, N_("verschoben")),
    (m.NoteTier.MEDIATOR_PRIVATE, N_("nur Mediation (vertraulich)")),
    (m.NoteTier.CASE_TEAM, N_("Fallteam")),
    (m.NoteTier.SHAREABLE, N_("teilbar (nach Freigabe)")),
    (m.AttachmentTier.MEDIATOR_PRIVATE, N_("nur Mediation (vertraulich)")),
    (m.AttachmentTier.CASE_TEAM, N_("Fallteam")),
    (m.AttachmentType.PDF, N_("PDF")),
    (m.AttachmentType.JPEG, N_("JPEG-Bild")),
    (m.AttachmentType.PNG, N_("PNG-Bild")),
    (m.ItemStatus.OFFEN, N_("offen")),
    (m.ItemStatus.IN_UMSETZUNG, N_("in Umsetzung")),
    (m.ItemStatus.UMGESETZT, N_("umgesetzt")),
    (m.ItemStatus.NICHT_UMGESETZT, N_("nicht umgesetzt")),
    (m.ItemStatus.OBSOLET, N_("obsolet")),
    (m.FollowUpResult.TRAEGT, N_("trägt")),
    (m.FollowUpResult.TEILWEISE, N_("trägt teilweise")),
    (m.FollowUpResult.NICHT, N_("trägt nicht")),
    (m.AdministrationRequestStatus.OFFEN, N_("offen")),
    (m.AdministrationRequestStatus.EINGEREICHT, N_("eingereicht")),
    (m.AdministrationRequestStatus.BEANTWORTET, N_("beantwortet")),
    (m.AdministrationRequestStatus.UMGESETZT, N_("umgesetzt")),
    (m.AdministrationRequestStatus.ABGELEHNT, N_("abgelehnt")),
    (m.NotificationKind.ASSIGNED, N_("Fall zugewiesen")),
    (m.NotificationKind.WIEDERVORLAGE, N_("Wiedervorlage fällig")),
    (m.NotificationKind.FOLLOW_UP, N_("Nachbetreuung fällig")),
    (m.NotificationKind.ITEM_DUE, N_("Vereinbarungspunkt fällig")),
    (m.NotificationKind.SESSION_TOMORROW, N_("Sitzung morgen")),
    (m.NotificationKind.REPORT_REVIEW, N_("Bericht wartet auf Prüfung")),
    (m.NotificationKind.DELIVERY_FAILED, N_("Zustellung fehlgeschlagen")),
    (m.Role.ADMIN, N_("Administration")),
    (m.Role.COORDINATOR, N_("Koordination")),
    (m.Role.MEDIATOR, N_("Mediation")),
    (m.Role.ROUND_TABLE_MEMBER, N_("Runder Tisch")),
    (RetentionClass.CONTACT, N_("Kontaktdaten der Parteien (Name, Telefon, E-Mail, Anschrift, Sprache)")),
    (RetentionClass.NOTES, N_("Notiztexte")),
    (RetentionClass.MINUTES, N_("Sitzungsprotokolle und Sitzungsorte")),
    (RetentionClass.AGREEMENTS, N_("Texte der Vereinbarungen und ihrer Punkte")),
    (RetentionClass.CASE_TEXTS, N_("Freitexte des Falls und Begründungen in seinen Ereignissen")),
    (RetentionClass.ADMINISTRATION, N_("Texte der Verwaltungsanliegen")),
    (RetentionClass.ATTACHMENTS, N_("Anhänge der Fälle (Dateinamen und Inhalte)")),
    (RetentionClass.OUTBOX, N_("Inhalte des E-Mail-Ausgangs (Empfänger:innen, Texte, Anhänge)")),
    (RetentionClass.SIGN_IN, N_("Abgelaufene Sitzungen, widerrufene API-Tokens und Kalender-Abos")),
    (RetentionClass.SKELETON, N_("Statistisches Gerüst des Falls (anonymisiert)")),
    (RetentionClass.ACCOUNT, N_("Konten der Mitarbeitenden")),
    (RetentionClass.MASTER_DATA, N_("Stammdaten (Quartiere, Orte, Konfliktarten)")),
    (RetentionClass.PUBLICATION, N_("Veröffentlichte Statistiken und Berichte an Runde Tische")),
    (RetentionClass.AUDIT, N_("Prüfpfad (Ereignisse ohne Freitexte), Löschprotokoll")),
    (Purpose.CASE_WORK, N_("Durchführung und Dokumentation der Mediation (Fallbearbeitung)")),
    (Purpose.STATISTICS, N_("Anonymisierte Statistik (Cell Key Method)")),
    (Purpose.ROUND_TABLES, N_("Berichte an Runde Tische (nur anonymisiert)")),
    (Purpose.ACCOUNTS, N_("Anmeldung und Berechtigungen der Mitarbeitenden")),
    (Purpose.AUDIT, N_("Nachweis der Verarbeitung (Prüfpfad, Löschprotokoll)")),
    (Purpose.MAIL, N_("Versand der Berichte per E-Mail")),
    (Purpose.MASTER_DATA, N_("Stammdaten der Stadt (Quartiere, Orte)")),
    (Purpose.OPERATION, N_("Technischer Betrieb (Schlüssel, Versionen, Zeitstempel)")),
)
E = TypeVar("E", bound=StrEnum)

_LABELS: dict[tuple[type[StrEnum], str], str] = {(type(member), member.value): text for member, text in _TABLE}


def label(value: StrEnum | None) -> str:
    if value is None:
        return ""
    if isinstance(value, m.CaseStatus):
        return workflow.STATUS_LABELS[value]
    if isinstance(value, m.Outcome):
        return workflow.OUTCOME_LABELS[value]
    return gettext(_LABELS[type(value), value.value])


def label_of(enum: type[StrEnum], raw: str | None) -> str:
    """For columns stored as plain strings: `label_of(m.CaseStatus, case.status)`."""
    return label(enum(raw)) if raw else ""


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, label(member)) for member in enum if member is not m.CaseStatus.ARCHIVIERT]


def labels(enum: type[E]) -> dict[E, str]:
    """Every member with its name, for code that looks members up: `labels(m.Role)[role]`."""
    return {member: label(member) for member in enum}
