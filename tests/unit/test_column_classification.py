"""Every column of every table is classified for the record of processing (issue 12): a new column
without a decision (personal? special category? retention class? purpose?) fails here."""

from __future__ import annotations

from advanced_alchemy.base import orm_registry
from sqlalchemy import Column, Integer, MetaData, String, Table

from konfliktmanagement.db import models  # noqa: F401  (classifies the metadata on import)
from konfliktmanagement.db.classification import (
    COMMON,
    POLICY_CLASSES,
    TABLES,
    Classification,
    classification_of,
    classify,
)
from konfliktmanagement.domain.privacy.policies import DEFAULTS


def _unclassified(metadata: MetaData) -> list[str]:
    return [
        f"{table.name}.{column.name}"
        for table in metadata.tables.values()
        for column in table.columns
        if classification_of(column) is None
    ]


def test_every_column_is_classified() -> None:
    assert _unclassified(orm_registry.metadata) == []
    for table in orm_registry.metadata.tables.values():
        for column in table.columns:
            found = classification_of(column)
            assert isinstance(found, Classification)
            assert not found.special_category or found.personal, f"{table.name}.{column.name}"


def test_a_new_column_without_a_decision_is_found() -> None:
    metadata = MetaData()
    Table("party", metadata, Column("id", Integer, primary_key=True), Column("nickname", String(40)))
    classify(metadata)
    assert _unclassified(metadata) == ["party.nickname"]


def test_the_registry_names_only_columns_that_exist() -> None:
    tables = orm_registry.metadata.tables
    stale = [
        f"{name}.{column}"
        for name, columns in TABLES.items()
        for column in columns
        if name not in tables or column not in tables[name].columns
    ]
    assert stale == []
    assert set(COMMON) >= {"id", "created_at", "updated_at"}


def test_the_personal_texts_have_a_retention_policy() -> None:
    """What the retention job erases must be exactly the classes with a policy and a default period."""
    assert set(DEFAULTS) == POLICY_CLASSES
    for table, column in (
        ("party", "name"),
        ("note", "body"),
        ("mediation_session", "minutes"),
        ("case_event", "reason"),
    ):
        found = classification_of(orm_registry.metadata.tables[table].columns[column])
        assert found is not None
        assert found.personal
        assert found.retention in POLICY_CLASSES
