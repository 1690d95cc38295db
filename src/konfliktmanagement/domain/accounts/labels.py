from __future__ import annotations

from konfliktmanagement.db.models import Role
from konfliktmanagement.lib.i18n import gettext as _


def role_labels() -> dict[Role, str]:
    return {
        Role.ADMIN: _("Administration"),
        Role.COORDINATOR: _("Koordination"),
        Role.MEDIATOR: _("Mediation"),
        Role.ROUND_TABLE_MEMBER: _("Runder Tisch"),
    }
