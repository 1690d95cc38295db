"""The agenda (`/calendar`) and the personal iCalendar feed (README → Agenda und Kalender-Abo)."""
