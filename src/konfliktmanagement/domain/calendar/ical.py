"""The agenda as an RFC 5545 calendar (the `icalendar` library): per item its kind, case reference, place
and link — never a title, a party's name, a note or a session's free-text location."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta

from icalendar import Calendar, Event

from konfliktmanagement.domain.calendar.agenda import AgendaItem
from konfliktmanagement.lib import clock

DEFAULT_SESSION = timedelta(hours=1)
UID_DOMAIN = "konfliktmanagement"


def calendar_bytes(items: Iterable[AgendaItem], base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Konfliktmanagement//Agenda//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Konfliktmanagement")
    stamp = clock.now()
    for item in items:
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        if item.starts_at is not None:
            start = item.starts_at.astimezone(UTC)
            minutes = item.duration_minutes
            event.add("dtstart", start)
            event.add("dtend", start + (timedelta(minutes=minutes) if minutes else DEFAULT_SESSION))
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", " ".join(part for part in (item.label, item.reference) if part))
        if item.place:
            event.add("location", item.place)
        event.add("url", f"{base_url}{item.link}")
        event.add("categories", [item.kind.value])
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
