from __future__ import annotations

from uuid import UUID

from advanced_alchemy.base import DefaultBase
from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column


class CaseSearch(DefaultBase):
    """A case's searchable text, one row per case, kept by `db/search_index.py` in the writing transaction.

    `body` is what the search reads: reference, title, description, place, quartier, the parties'
    aliases and pseudonyms — never names or contact data. PostgreSQL searches it through a GIN index
    on `to_tsvector('german', body)`; SQLite through the FTS5 table `case_search_fts` (migration
    0019), which indexes `terms`, the same words German-stemmed in Python (SQLite has no German
    stemmer), and is kept by triggers on this table.
    """

    __tablename__ = "case_search"
    __table_args__ = (
        Index(
            "ix_case_search_body_german", text("to_tsvector('german'::regconfig, body)"), postgresql_using="gin"
        ).ddl_if(dialect="postgresql"),
    )

    case_id: Mapped[UUID] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)
