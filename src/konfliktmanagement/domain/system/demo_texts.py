"""Texts the demo cases share: session minutes, notes and model agreements per conflict type.

Parties are named by their per-case alias ("Partei A"), as mediators write in practice, so the
demo shows how little identifying text a case needs.
"""

from __future__ import annotations

from konfliktmanagement.db import models as m

SK = m.SessionKind
T = m.NoteTier

MINUTES: dict[SK, tuple[str, ...]] = {
    SK.ORTSBEGEHUNG: (
        "Ortsbegehung am frühen Abend: Situation wie geschildert angetroffen, Sitzbereiche und "
        "Müllaufkommen fotografisch dokumentiert (ohne Personen).",
        "Begehung mit Partei A: Sichtachsen, Beleuchtung und Wege angesehen; dunkle Ecke an der Rückseite notiert.",
    ),
    SK.VORGESPRAECH: (
        "Einzelgespräch: Anliegen geschildert, Ablauf und Freiwilligkeit der Mediation erklärt. "
        "Gesprächsbereitschaft grundsätzlich vorhanden.",
        "Vorgespräch: Sicht der Partei aufgenommen, Sorgen um Eskalation ernst genommen; Bedenkzeit vereinbart.",
        "Vorgespräch vor Ort: Gruppe über Beschwerden informiert, Interesse an einem gemeinsamen Termin.",
    ),
    SK.GEMEINSAME_SITZUNG: (
        "Gemeinsame Sitzung: Themen gesammelt (Lautstärke, Uhrzeiten, Müll), Interessen beider Seiten "
        "herausgearbeitet; Optionen gesammelt und bewertet.",
        "Zweite Sitzung: Vorschläge konkretisiert, Verantwortlichkeiten und Fristen festgehalten, "
        "Vereinbarungsentwurf gemeinsam formuliert.",
    ),
    SK.NACHTREFFEN: ("Nachtreffen: Umsetzung der Vereinbarung Punkt für Punkt besprochen.",),
}

LOCATIONS = ("Quartiersbüro", "Stadtteilzentrum", "Gemeindehaus", "Büro der Gemeinwesenmediation")

NOTES: dict[T, tuple[str, ...]] = {
    T.CASE_TEAM: (
        "Erstkontakt telefonisch, Rückruf innerhalb von zwei Tagen zugesagt.",
        "Absprache mit dem Ordnungsamt: keine parallelen Maßnahmen bis zum ersten gemeinsamen Termin.",
        "Termin mit der Quartiersmanagerin abgestimmt; Raum im Stadtteilzentrum reserviert.",
    ),
    T.MEDIATOR_PRIVATE: (
        "Eindruck: Partei B fühlt sich pauschal beschuldigt; Anerkennung im Gespräch wichtig.",
        "Hohe Anspannung bei Partei A, Gesprächsführung eng strukturieren; Hypothese: es geht um Respekt.",
        "Co-Mediation absprechen: wer moderiert die Optionenphase, wer visualisiert.",
    ),
    T.SHAREABLE: (
        "Wiederkehrender Konflikt um die Nutzung des Platzes in den Abendstunden; Beteiligte "
        "wünschen sich feste Ansprechpersonen im Quartier.",
        "Die Beteiligten haben eigene Regeln für den Platz vereinbart; Beleuchtung und Mülleimer "
        "sind Anliegen an die Verwaltung.",
    ),
}

# conflict type code → (agreement title, ((responsible, action), ...))
AGREEMENTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "laerm": (
        "Vereinbarung zu Ruhezeiten",
        (
            ("Partei B", "Ab 22 Uhr keine Musikboxen, Gespräche in Zimmerlautstärke."),
            ("Partei A", "Bei Störungen zuerst direkt ansprechen, erst danach das Ordnungsamt."),
            ("alle Beteiligten", "Nachtreffen nach sechs Wochen, um die Regeln zu überprüfen."),
        ),
    ),
    "muell": (
        "Vereinbarung zur Sauberkeit",
        (
            ("Partei B", "Müll der eigenen Gruppe am Abend einsammeln; Tüten werden gestellt."),
            ("Partei A", "Meldet volle Mülleimer über den Mängelmelder."),
            ("alle Beteiligten", "Gemeinsame Aufräumaktion einmal im Monat."),
        ),
    ),
    "nutzung_oeffentlicher_raum": (
        "Nutzungsabsprache für den Platz",
        (
            ("Partei A", "Nutzt den Bereich vormittags und am frühen Nachmittag."),
            ("Partei B", "Nutzt den Bereich ab 17 Uhr und hält die Wege frei."),
            ("alle Beteiligten", "Aushang mit den Absprachen am Platz."),
        ),
    ),
    "nachbarschaft": (
        "Nachbarschaftliche Vereinbarung",
        (
            ("Partei A", "Kürzt die Hecke bis Ende März auf 1,80 m."),
            ("Partei B", "Kündigt Arbeiten mit Lärm einen Tag vorher an."),
        ),
    ),
    "jugendliche_gruppen": (
        "Absprachen mit der Gruppe",
        (
            ("Partei B", "Treffpunkt nach 21 Uhr auf die Seite ohne Wohnbebauung verlegen."),
            ("Partei A", "Feste Ansprechperson für die Gruppe benennen."),
            ("alle Beteiligten", "Gemeinsames Treffen mit der Jugendarbeit alle zwei Monate."),
        ),
    ),
    "alkohol_drogen": (
        "Vereinbarung zum Spielplatz",
        (
            ("Partei B", "Kein Alkohol im Spielbereich; Treffpunkt an den Bänken am Rand."),
            ("Partei A", "Spricht Probleme direkt und ohne Fotos an."),
            ("alle Beteiligten", "Streetwork wird zu einem Nachtreffen eingeladen."),
        ),
    ),
    "verkehr_parken": (
        "Vereinbarung zur Zufahrt",
        (
            ("Partei B", "Parkt nicht mehr in der Zufahrt, Besuch wird informiert."),
            ("Partei A", "Markiert die Zufahrt mit einem Hinweisschild."),
        ),
    ),
}
DEFAULT_AGREEMENT = (
    "Vereinbarung",
    (
        ("Partei A", "Meldet sich bei neuen Problemen zuerst bei der Mediation."),
        ("Partei B", "Hält die vereinbarten Zeiten ein."),
    ),
)
