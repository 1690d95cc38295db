"""The parties of the demo cases: people, organisations and informal groups.

Contact data is obviously fake (0170 555…, @example.org, Beispiel… streets). Several parties
appear in more than one case — the residents of the square at St. Josef, the church parish, the
housing company — as they would in a real office's files.
"""

from __future__ import annotations

from dataclasses import dataclass

from konfliktmanagement.db import models as m

K = m.PartyKind


@dataclass(frozen=True, slots=True)
class DemoParty:
    kind: K
    name: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    language: str | None = None
    group_size: int | None = None


def _person(name: str, n: int, street: str, language: str | None = None) -> DemoParty:
    email = name.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace(" ", ".") + "@example.org"
    return DemoParty(K.PERSON, name, f"0170 555{n:04d}", email, f"{street}, 47000 Beispielstadt", language)


def _organisation(name: str, n: int, email: str, street: str) -> DemoParty:
    return DemoParty(K.ORGANISATION, name, f"0170 555{n:04d}", email, f"{street}, 47000 Beispielstadt")


def _group(name: str, size: int, n: int | None = None, language: str | None = None) -> DemoParty:
    # Informal groups are reached through a contact person's phone, if at all.
    return DemoParty(K.INFORMAL_GROUP, name, f"0170 555{n:04d}" if n else None, None, None, language, size)


DEMO_PARTIES: dict[str, DemoParty] = {
    # people
    "wilms": _person("Petra Wilms", 101, "Beispielstraße 12"),
    "verhoeven": _person("Klaus Verhoeven", 102, "Beispielstraße 14"),
    "yilmaz": _person("Emine Yilmaz", 103, "Musterweg 3", "Türkisch"),
    "schroeder": _person("Gerd Schröder", 104, "Musterweg 5"),
    "nowicki": _person("Anna Nowicki", 105, "Probeallee 21", "Polnisch"),
    "hermanns": _person("Dieter Hermanns", 106, "Probeallee 23"),
    "bauer": _person("Lisa Bauer", 107, "Testgasse 7"),
    "kaya": _person("Murat Kaya", 108, "Testgasse 9", "Türkisch"),
    "peters": _person("Heinz Peters", 109, "Beispielring 40"),
    "lange": _person("Sandra Lange", 110, "Beispielring 42"),
    "haddad": _person("Rami Haddad", 111, "Musterplatz 2", "Arabisch"),
    "vogel": _person("Ursula Vogel", 112, "Musterplatz 4"),
    "jansen": _person("Tim Jansen", 113, "Demoweg 8"),
    "koch": _person("Monika Koch", 114, "Demoweg 10"),
    "popescu": _person("Ioana Popescu", 115, "Probestraße 17", "Rumänisch"),
    "brandt_anw": _person("Walter Brandt", 116, "Probestraße 19"),
    # organisations
    "wg_sued": _organisation("Wohnungsgesellschaft Süd", 201, "kundenservice@wg-sued.example.org", "Beispielhof 1"),
    "kirche": _organisation("Kirchengemeinde St. Josef", 202, "pfarrbuero@st-josef.example.org", "Kirchplatz 1"),
    "kiosk": _organisation("Kiosk Hardenberger Straße", 203, "kiosk-hardenberg@example.org", "Beispielecke 2"),
    "jugendtreff": _organisation("Jugendtreff Stahldorf", 204, "team@jugendtreff.example.org", "Demogasse 11"),
    "djk": _organisation("DJK Lehmheide e. V.", 205, "vorstand@djk-lehmheide.example.org", "Sportweg 1"),
    "kita": _organisation("Kita Bleichpfad", 206, "leitung@kita-bleichpfad.example.org", "Beispielpfad 30"),
    "markt": _organisation("Händlergemeinschaft Stahldorfer Markt", 207, "info@markt.example.org", "Marktseite 3"),
    "gastro": _organisation("Café am Schinkenplatz", 208, "cafe-schinkenplatz@example.org", "Musterplatz 9"),
    "skateverein": _organisation("Rollsport Süd e. V.", 209, "kontakt@rollsport-sued.example.org", "Rampenweg 4"),
    "kleingarten": _organisation("Kleingartenverein Süd", 210, "vorstand@kgv-sued.example.org", "Gartenweg 1"),
    # informal groups
    "anw_nord": _group("Anwohnende Nordseite", 14, 301),
    "jugend_josef": _group("Jugendliche am Platz an St. Josef", 10),
    "jugend_bolz": _group("Jugendliche am Bolzplatz", 12, 302),
    "eltern_bleich": _group("Elterninitiative Spielplatz Bleichpfad", 8, 303),
    "treff_spielplatz": _group("Erwachsenengruppe am Spielplatz Bleichpfad", 5),
    "anw_kiosk": _group("Anwohnende Hardenberger Straße", 9, 304),
    "skater": _group("Skater:innen Süd", 15, 305),
    "grill": _group("Grillgruppen Gatherhof", 20, None, "Arabisch"),
    "anw_markt": _group("Anwohnende am Stahldorfer Markt", 11, 306),
    "anw_wende": _group("Anwohnende Wendehammer Bleichpfad", 7, 307),
    "hundehalter": _group("Hundehalter:innen Park am Gatherhof", 6),
    "anw_schinken": _group("Anwohnende Schinkenplatz Ost", 10, 308),
}
