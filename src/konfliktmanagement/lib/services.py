"""The base of every service: advanced-alchemy's repository service, with its session typed as used here."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy.ext.asyncio import AsyncSession

ModelT = TypeVar("ModelT", bound=Any)
RepoT = TypeVar("RepoT", bound=SQLAlchemyAsyncRepository[Any])


class Service(SQLAlchemyAsyncRepositoryService[ModelT, RepoT]):
    """Services get the request's (or a job's) `AsyncSession`; they flush, never commit."""

    @property
    def session(self) -> AsyncSession:
        # advanced-alchemy also accepts scoped sessions; this application never creates one.
        return cast(AsyncSession, self.repository.session)
