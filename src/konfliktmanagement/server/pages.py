"""Every area's HTML page controllers, registered behind the session and CSRF middleware."""

from __future__ import annotations

from litestar import Controller

from konfliktmanagement.domain.administration import pages as administration
from konfliktmanagement.domain.agreements import pages as agreements
from konfliktmanagement.domain.attachments import pages as attachments
from konfliktmanagement.domain.calendar import pages as calendar
from konfliktmanagement.domain.case_page import pages as case_page
from konfliktmanagement.domain.cases import pages as cases
from konfliktmanagement.domain.coordination import pages as coordination
from konfliktmanagement.domain.mediation import pages as mediation
from konfliktmanagement.domain.notes import pages as notes
from konfliktmanagement.domain.notifications import pages as notifications
from konfliktmanagement.domain.parties import pages as parties
from konfliktmanagement.domain.places import pages as places
from konfliktmanagement.domain.privacy import pages as privacy
from konfliktmanagement.domain.quartiers import pages as quartiers
from konfliktmanagement.domain.round_tables import pages as round_tables
from konfliktmanagement.domain.statistics import pages as statistics

PAGE_CONTROLLERS: list[type[Controller]] = [
    *cases.PAGE_CONTROLLERS,
    *case_page.PAGE_CONTROLLERS,
    *parties.PAGE_CONTROLLERS,
    *notes.PAGE_CONTROLLERS,
    *attachments.PAGE_CONTROLLERS,
    *mediation.PAGE_CONTROLLERS,
    *agreements.PAGE_CONTROLLERS,
    *administration.PAGE_CONTROLLERS,
    *coordination.PAGE_CONTROLLERS,
    *places.PAGE_CONTROLLERS,
    *round_tables.PAGE_CONTROLLERS,
    *quartiers.PAGE_CONTROLLERS,
    *statistics.PAGE_CONTROLLERS,
    *privacy.PAGE_CONTROLLERS,
    *notifications.PAGE_CONTROLLERS,
    *calendar.PAGE_CONTROLLERS,
]
