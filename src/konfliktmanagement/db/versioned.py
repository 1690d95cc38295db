"""Optimistic locking, one rule for every record people edit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class Versioned:
    """Mixin: a `version` that SQLAlchemy checks and bumps on every UPDATE of the row.

    A form or API body carries the version it was read at; a write against an older one is refused
    before it is applied (`lib/patching.ensure_version`, 409), and two writes racing past that check
    still cannot both land: the second UPDATE matches no row (`StaleDataError`, also 409). Tables that
    got the column after they had rows also have a server default of 1 (see their migrations).
    """

    version: Mapped[int] = mapped_column(Integer, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]
