"""case search: the searchable text of every case, with German stemming on both databases

Revision ID: c9e5a1b3d419
Revises: c9e5a1b3d418
Create Date: 2026-12-01 11:00:00

`case_search` holds one row per case: `body`, its searchable words (reference, title, description,
place, quartier, the parties' aliases and pseudonyms — never names or contact data), and `terms`,
the same words German-stemmed in Python (`db/search_index.py`).

- PostgreSQL: a GIN index on `to_tsvector('german', body)`.
- SQLite: the FTS5 table `case_search_fts` over `terms` (external content: `case_search`, by rowid),
  kept by triggers on `case_search` — the pattern of SQLite's FTS5 documentation.

The existing cases are indexed here, by the same code the application keeps the index with.
"""

from __future__ import annotations

import sqlalchemy as sa
from advanced_alchemy.types import GUID
from alembic import op

from konfliktmanagement.db import models as m
from konfliktmanagement.db.search_index import refresh

revision, down_revision = "c9e5a1b3d419", "c9e5a1b3d418"
branch_labels = depends_on = None

SQLITE_FTS = (
    "CREATE VIRTUAL TABLE case_search_fts USING fts5(terms, content='case_search', content_rowid='rowid')",
    "CREATE TRIGGER case_search_ai AFTER INSERT ON case_search BEGIN "
    "INSERT INTO case_search_fts(rowid, terms) VALUES (new.rowid, new.terms); END",
    "CREATE TRIGGER case_search_ad AFTER DELETE ON case_search BEGIN "
    "INSERT INTO case_search_fts(case_search_fts, rowid, terms) VALUES ('delete', old.rowid, old.terms); END",
    "CREATE TRIGGER case_search_au AFTER UPDATE ON case_search BEGIN "
    "INSERT INTO case_search_fts(case_search_fts, rowid, terms) VALUES ('delete', old.rowid, old.terms); "
    "INSERT INTO case_search_fts(rowid, terms) VALUES (new.rowid, new.terms); END",
)
BATCH = 1000


def upgrade() -> None:
    op.create_table(
        "case_search",
        sa.Column("case_id", GUID(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["case_file.id"], name=op.f("fk_case_search_case_id_case_file"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_search")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_case_search_body_german ON case_search USING gin (to_tsvector('german'::regconfig, body))"
        )
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)
    ids = list(bind.scalars(sa.select(m.Case.id).order_by(m.Case.id)))
    for start in range(0, len(ids), BATCH):
        refresh(bind, ids[start : start + BATCH])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_case_search_body_german")
    else:
        for name in ("case_search_ai", "case_search_ad", "case_search_au"):
            op.execute(f"DROP TRIGGER {name}")
        op.execute("DROP TABLE case_search_fts")
    op.drop_table("case_search")
