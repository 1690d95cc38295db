"""The demo's round tables: St. Josef (with the demo round-table account, meetings and reports) and Nord."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from konfliktmanagement.db import models as m
from konfliktmanagement.domain.accounts.principal import Principal
from konfliktmanagement.domain.round_tables.reports import RoundTableReportService
from konfliktmanagement.domain.statistics.publishing import StatisticsService
from konfliktmanagement.lib import clock

# (name, description, quartier codes, ((member e-mail, organisation), ...))
DEMO_ROUND_TABLES = (
    (
        "Runder Tisch St. Josef",
        "Polizei, Kirchengemeinde, Anwohnerverein, Ordnungsamt und Jugendarbeit rund um den Kirchplatz.",
        ("Q01", "Q02"),
        (("runder-tisch@demo.invalid", "Anwohnerverein"),),
    ),
    ("Runder Tisch Nord", "Lehmheide und Bleichpfad.", ("Q03", "Q04"), ()),
)


async def load_round_tables(session: AsyncSession, created_by: m.User) -> int:
    """Adds the demo round tables (on the fresh demo database only); returns how many."""
    quartiers = {q.code: q for q in await session.scalars(select(m.Quartier))}
    users = {u.email: u for u in await session.scalars(select(m.User))}
    for name, description, codes, members in DEMO_ROUND_TABLES:
        session.add(
            m.RoundTable(
                name=name,
                description=description,
                created_by_id=created_by.id,
                quartiers=[quartiers[code] for code in codes],
                members=[
                    m.RoundTableMember(user_id=users[email].id, organisation=organisation)
                    for email, organisation in members
                ],
            )
        )
    await session.flush()
    return len(DEMO_ROUND_TABLES)


async def load_meetings(session: AsyncSession) -> None:
    """St. Josef's history, so a new user sees the result at once: a past meeting with approved minutes
    and its sent report, and the next meeting with a draft report. Needs the year's statistics: they
    are published here first (provisionally), so on PostgreSQL `session` must not have begun yet.

    The sent report was drafted by "Demo Koordination" and reviewed by Heike Albers (four eyes). It is
    marked sent without e-mails: the demo's addresses are `.invalid`, there is nobody to mail.
    """
    today = clock.today()
    await StatisticsService(session).publish(str(today.year), provisional=True)
    # With roles: the drafter acts as a principal (`Principal.of`).
    users = {u.email: u for u in await session.scalars(select(m.User).options(selectinload(m.User.role_rows)))}
    drafter, reviewer = users["koordination@demo.invalid"], users["heike.albers@demo.invalid"]
    table = await session.scalar(select(m.RoundTable).where(m.RoundTable.name == DEMO_ROUND_TABLES[0][0]))
    assert table is not None
    past_at = datetime.combine(today - timedelta(weeks=6), time(18, 0), clock.BERLIN)
    next_at = datetime.combine(today + timedelta(weeks=3), time(18, 0), clock.BERLIN)
    past = m.RoundTableMeeting(
        round_table_id=table.id,
        starts_at=past_at,
        place="Gemeindehaus St. Josef, Kirchplatz 3",
        agenda=["Begrüßung", "Bericht der Koordination", "Nächtlicher Lärm am Kirchplatz", "Verschiedenes"],
        organisations=["Polizei", "Kirchengemeinde St. Josef", "Anwohnerverein", "Ordnungsamt", "Jugendarbeit"],
        minutes=(
            "Die Koordination stellte den Bericht vor. Am Kirchplatz ist es seit dem Sommer ruhiger geworden; "
            "das Ordnungsamt prüft eine bessere Beleuchtung am Spielplatz. Die Jugendarbeit bietet freitags "
            "einen offenen Treff an. Nächstes Mal: Bericht des Ordnungsamts zur Beleuchtung."
        ),
        minutes_state=m.MinutesState.FREIGEGEBEN.value,
        minutes_approved_by_id=reviewer.id,
        minutes_approved_at=past_at + timedelta(days=2),
        next_date=next_at.date(),
        created_by_id=drafter.id,
    )
    upcoming = m.RoundTableMeeting(
        round_table_id=table.id,
        starts_at=next_at,
        place="Gemeindehaus St. Josef, Kirchplatz 3",
        agenda=["Begrüßung", "Bericht der Koordination", "Beleuchtung am Spielplatz (Ordnungsamt)"],
        organisations=[],
        created_by_id=drafter.id,
    )
    session.add_all([past, upcoming])
    await session.flush()
    reports = RoundTableReportService(session=session)
    actor = Principal.of(drafter)
    sent = await reports.draft_for_meeting(actor, table.id, past.id)
    sent.state = m.ReportState.VERSENDET.value
    sent.reviewed_by_id, sent.reviewed_at = reviewer.id, past_at - timedelta(days=3)
    sent.sent_by_id, sent.sent_at = drafter.id, past_at - timedelta(days=2)
    await session.flush()
    await reports.draft_for_meeting(actor, table.id, upcoming.id)
