"""The demo cases of Stadtbezirke Mitte and Nord, and all demo cases (`SCENARIOS`).

Every non-archived state is reached at least once; the square at St. Josef has a history of six
cases over two years (recurring conflicts, one reopened case).
"""

from __future__ import annotations

from konfliktmanagement.domain.system.demo_cases_ost_sued import OST_SUED
from konfliktmanagement.domain.system.demo_scenario import (
    GRUEN,
    IM,
    INST,
    KL,
    OUT,
    RQ,
    SPORT,
    SUP,
    TEILWEISE,
    TIEF,
    TO_AGREEMENT,
    TRAEGT,
    VB,
    VG,
    A,
    B,
    R,
    S,
    Scenario,
    Step,
    U,
    done,
    hold,
    nb,
)

MITTE_NORD: tuple[Scenario, ...] = (
    # --- the square at St. Josef: recurring conflicts over two years ---
    Scenario(
        "Nächtlicher Lärm auf dem Platz an St. Josef",
        "Anwohnende der Nordseite beschweren sich über laute Musik und Gespräche bis nach Mitternacht, "
        "vor allem an Wochenenden. Die Gemeinde bietet ihre Räume für Gespräche an.",
        ("Q01", "Platz an St. Josef", "laerm", R.BUERGER, U.HOCH, 4),
        (("anw_nord", A), ("jugend_josef", B), ("kirche", INST)),
        560,
        (*TO_AGREEMENT, nb(), done(TRAEGT)),
        requests=((GRUEN, "Zusätzlicher Mülleimer an der Kirchentreppe", RQ.UMGESETZT, "Aufgestellt im Mai."),),
    ),
    Scenario(
        "Flaschenscherben und Müll nach Wochenenden an St. Josef",
        "Küster meldet regelmäßig Scherben und Müll auf den Stufen; Kinder der Kita nutzen den Weg.",
        ("Q01", "Platz an St. Josef", "muell", R.ORDNUNGSAMT, U.NORMAL, 2),
        (("kirche", A), ("jugend_josef", B)),
        420,
        (KL, VG, Step(S.EINGESTELLT, reason="Gruppe nicht mehr erreichbar; aufsuchende Jugendarbeit übernimmt.")),
    ),
    Scenario(
        "Lärm und Gruppen am Platz an St. Josef – Sommer 2026",
        "Nach ruhigem Winter erneut Beschwerden über Lärm und Gruppen am Abend. Runder Tisch St. Josef bittet um "
        "Vermittlung; die Absprachen von 2025 sollen erneuert werden.",
        ("Q01", "Platz an St. Josef", "laerm", R.RUNDER_TISCH, U.HOCH, 5),
        (("anw_nord", A), ("wilms", A), ("jugend_josef", B), ("kirche", INST)),
        150,
        (*TO_AGREEMENT, nb(12)),
        escalation_later=3,
        requests=(
            (TIEF, "Bessere Beleuchtung am Kirchvorplatz", RQ.EINGEREICHT, None),
            (GRUEN, "Sitzbänke von der Hauswand abrücken", RQ.ABGELEHNT, "Denkmalschutz; Alternative wird geprüft."),
        ),
    ),
    Scenario(
        "Musik am Platz an St. Josef (Wiederaufnahme)",
        "Beschwerde über abendliche Musik. Im Frühjahr anderweitig gelöst, seit September erneut Beschwerden.",
        ("Q01", "Platz an St. Josef", "laerm", R.BUERGER, U.NORMAL, 3),
        (("verhoeven", A), ("jugend_josef", B)),
        300,
        (
            KL,
            VG,
            IM,
            Step(S.ABGESCHLOSSEN, outcome=OUT.ANDERWEITIG_GELOEST, reason="Treffpunkt hatte sich verlagert."),
            Step(S.IN_KLAERUNG, reason="Erneute Beschwerden seit September."),
        ),
    ),
    Scenario(
        "Sicherheitsgefühl abends am Platz an St. Josef",
        "Ältere Anwohnerin meidet den Platz nach Einbruch der Dunkelheit und bittet um Unterstützung.",
        ("Q01", "Platz an St. Josef", "sicherheitsempfinden", R.QUARTIERSBUERO, U.NORMAL, None),
        (("wilms", A),),
        4,
        mediators=0,
    ),
    Scenario(
        "Sitzbänke am Platz an St. Josef dauerhaft belegt",
        "Anwohner beklagt, dass die Bänke tagsüber von einer Gruppe belegt sind; die Gemeinde unterstützt.",
        ("Q01", "Platz an St. Josef", "nutzung_oeffentlicher_raum", R.BUERGER, U.NIEDRIG, 2),
        (("brandt_anw", A), ("jugend_josef", B), ("kirche", SUP)),
        60,
        (KL, IM),
    ),
    Scenario(
        "Unsicherheit in der Unterführung am Bahnhof",
        "Mehrere Meldungen über Angst in der schlecht beleuchteten Unterführung, besonders abends.",
        ("Q01", "Unterführung am Bahnhof", "sicherheitsempfinden", R.POLIZEI, U.HOCH, None),
        (("koch", A),),
        200,
        (
            KL,
            Step(
                S.WEITERGELEITET,
                recipient="Tiefbauamt und Ordnungspartnerschaft Innenstadt",
                reason="Bauliches Problem, kein Konflikt zwischen Parteien.",
                by_coordinator=True,
            ),
        ),
        requests=((TIEF, "Zusätzliche Beleuchtung in der Unterführung", RQ.BEANTWORTET, "Im Haushalt 2027."),),
    ),
    Scenario(
        "Alkoholkonsum am Spielplatz Josefshof",
        "Eltern berichten von Erwachsenen, die am Nachmittag am Spielplatz trinken.",
        ("Q01", "Spielplatz Josefshof", "alkohol_drogen", R.BUERGER, U.NORMAL, 2),
        (("lange", A),),
        35,
        (KL, VG),
    ),
    # --- Schinkenplatz ---
    Scenario(
        "Außengastronomie und Lärm am Schinkenplatz",
        "Anwohnende fühlen sich durch die Außengastronomie bis spät abends gestört; das Café möchte bleiben.",
        ("Q02", "Schinkenplatz", "laerm", R.BUERGER, U.NORMAL, 3),
        (("anw_schinken", A), ("peters", A), ("gastro", B)),
        380,
        (
            *TO_AGREEMENT,
            Step(
                S.ABGESCHLOSSEN,
                outcome=OUT.EINIGUNG_VOLLSTAENDIG,
                reason="Alle Punkte sofort umgesetzt; Nachbetreuung nicht nötig.",
            ),
        ),
    ),
    Scenario(
        "Taubenfüttern am Schinkenplatz",
        "Streit zwischen Nachbarn über das Füttern von Tauben und den Kot auf Bänken.",
        ("Q02", "Schinkenplatz", "sonstiges", R.BUERGER, U.NIEDRIG, 3),
        (("schroeder", A), ("vogel", B)),
        90,
        (KL, VG, IM, Step(S.VORGESPRAECHE, reason="Partei B braucht vor dem nächsten Termin ein Einzelgespräch.")),
    ),
    Scenario(
        "Lieferverkehr blockiert den Gehweg an der Kölner Straße",
        "Lieferwagen parken morgens auf dem Gehweg; Rollstuhlfahrer kommen nicht vorbei.",
        ("Q02", "Grünanlage Kölner Straße", "verkehr_parken", R.ORDNUNGSAMT, U.NORMAL, None),
        (("hermanns", A),),
        25,
        (Step(S.WEITERGELEITET, recipient="Ordnungsamt, Verkehrsüberwachung", reason="Zuständigkeit der Behörde."),),
    ),
    Scenario(
        "Nächtliche Treffen in der Grünanlage Kölner Straße",
        "Jugendarbeit meldet Spannungen zwischen einer Gruppe junger Erwachsener und Anwohnenden.",
        ("Q02", "Grünanlage Kölner Straße", "jugendliche_gruppen", R.JUGENDARBEIT, U.NORMAL, 3),
        (("koch", A),),
        10,
        (KL,),
    ),
    Scenario(
        "Spielgeräte am Schinkenplatz von Jugendlichen belegt",
        "Eltern kleiner Kinder fühlen sich am Nachmittag verdrängt.",
        ("Q02", "Schinkenplatz", "nutzung_oeffentlicher_raum", R.BUERGER, U.NORMAL, 2),
        (("nowicki", A), ("anw_schinken", SUP), ("jugend_josef", B)),
        120,
        (KL, VG, hold(10, "Schulferien; Gruppe nicht erreichbar."), VG, IM),
    ),
    # --- Lehmheide ---
    Scenario(
        "Jugendliche am Bolzplatz Lehmheide – Lärm nach 22 Uhr",
        "Die Wohnungsgesellschaft leitet Mieterbeschwerden weiter: Ballspiel und Musik bis in die Nacht.",
        ("Q03", "Bolzplatz Lehmheide", "jugendliche_gruppen", R.WOHNUNGSGESELLSCHAFT, U.HOCH, 5),
        (("wg_sued", A), ("kaya", A), ("jugend_bolz", B), ("djk", INST)),
        480,
        (*TO_AGREEMENT, nb(), done(TEILWEISE)),
        escalation_later=3,
        requests=(
            (SPORT, "Öffnungszeiten des Bolzplatzes ausschildern (bis 22 Uhr)", RQ.UMGESETZT, "Schild montiert."),
            (SPORT, "Höherer Ballfangzaun zur Wohnseite", RQ.ABGELEHNT, "Keine Mittel im laufenden Jahr."),
        ),
    ),
    Scenario(
        "Bolzplatz Lehmheide: Streit um Nutzungszeiten mit dem Verein",
        "Der Verein trainiert dienstags und donnerstags; die Jugendlichen fühlen sich verdrängt.",
        ("Q03", "Bolzplatz Lehmheide", "nutzung_oeffentlicher_raum", R.JUGENDARBEIT, U.NORMAL, 3),
        (("jugend_bolz", A), ("djk", B)),
        130,
        TO_AGREEMENT,
    ),
    Scenario(
        "Müll am Vorplatz des Einkaufszentrums Lehmheide",
        "Überquellende Mülleimer und Essensreste; Mieter der Wohnungsgesellschaft beschweren sich.",
        ("Q03", "Vorplatz Einkaufszentrum Lehmheide", "muell", R.QUARTIERSBUERO, U.NIEDRIG, 2),
        (("jansen", A), ("wg_sued", INST)),
        70,
        (KL, VG, hold(21, "Umbau des Vorplatzes bis Mitte Dezember abwarten.")),
    ),
    Scenario(
        "Bolzplatz Lehmheide: erneute Beschwerden",
        "Anruf eines Anwohners: seit zwei Wochen wieder laute Abende am Bolzplatz.",
        ("Q03", "Bolzplatz Lehmheide", "laerm", R.BUERGER, U.NORMAL, None),
        (("peters", A),),
        3,
        mediators=1,
        recorded_by_mediator=True,
    ),
    Scenario(
        "Kinderlärm im Innenhof Lehmheide",
        "Streit zwischen zwei Mietparteien über spielende Kinder im gemeinsamen Innenhof.",
        ("Q03", None, "nachbarschaft", R.WOHNUNGSGESELLSCHAFT, U.NORMAL, 3),
        (("popescu", A), ("kaya", B), ("wg_sued", SUP)),
        100,
        (KL, IM, VB),
    ),
    # --- Bleichpfad ---
    Scenario(
        "Alkoholkonsum am Spielplatz Bleichpfad",
        "Eltern und Kita melden eine Gruppe Erwachsener, die am Spielplatz Alkohol trinkt.",
        ("Q04", "Spielplatz Bleichpfad", "alkohol_drogen", R.BUERGER, U.HOCH, 4),
        (("eltern_bleich", A), ("treff_spielplatz", B), ("kita", SUP)),
        240,
        (*TO_AGREEMENT, nb(), done(TRAEGT)),
        requests=((GRUEN, "Schild zum Alkoholverbot im Spielbereich", RQ.UMGESETZT, "Erledigt."),),
    ),
    Scenario(
        "Parken in der Feuerwehrzufahrt am Wendehammer Bleichpfad",
        "Die Zufahrt ist abends regelmäßig zugeparkt; die Feuerwehr hat bereits gemahnt.",
        ("Q04", "Wendehammer Bleichpfad", "verkehr_parken", R.ORDNUNGSAMT, U.HOCH, 4),
        (("anw_wende", A), ("nowicki", B), ("hermanns", B)),
        110,
        (
            KL,
            VG,
            IM,
            Step(
                S.ABGESCHLOSSEN,
                outcome=OUT.KEINE_EINIGUNG,
                reason="Keine Einigung; die Verkehrsüberwachung kontrolliert verstärkt.",
            ),
        ),
    ),
    Scenario(
        "Spritzenfunde am Spielplatz Bleichpfad",
        "Die Kita meldet Spritzenfunde im Sandkasten.",
        ("Q04", "Spielplatz Bleichpfad", "alkohol_drogen", R.POLIZEI, U.HOCH, None),
        (("kita", A),),
        45,
        (
            Step(
                S.NICHT_ANGENOMMEN, reason="Kein Konflikt zwischen Parteien; Grünflächenamt und Suchthilfe informiert."
            ),
        ),
    ),
    Scenario(
        "Hecke am Bleichpfad: Streit unter Nachbarn",
        "Die Hecke verschattet den Garten der Nachbarn; der Streit eskaliert über Anwälte.",
        ("Q04", None, "nachbarschaft", R.BUERGER, U.NORMAL, 6),
        (("bauer", A), ("haddad", B)),
        180,
        (*TO_AGREEMENT, nb(-6)),
        escalation_later=4,
    ),
)

SCENARIOS: tuple[Scenario, ...] = (*MITTE_NORD, *OST_SUED)
