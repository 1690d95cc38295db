"""quartier boundaries: each quartier's outline as a GeoJSON geometry, for the map of places

Revision ID: c2e8f4a6b922
Revises: c4e8a1f3d021
Create Date: 2026-12-01 11:00:00

A Polygon or MultiPolygon in WGS 84 (longitude, latitude), imported with the master data and
validated before it is stored (domain/quartiers/boundaries.py). Plain JSON on both databases: the
map draws it, nothing queries inside it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c2e8f4a6b922"
down_revision = "c4e8a1f3d021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quartier") as batch:
        batch.add_column(sa.Column("boundary", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quartier") as batch:
        batch.drop_column("boundary")
