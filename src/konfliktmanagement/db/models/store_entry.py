from __future__ import annotations

from advanced_alchemy.extensions.litestar.store import StoreModelMixin


class StoreEntry(StoreModelMixin):
    """Key/value rows behind server-side sessions and the sign-in rate limit, shared by all instances."""

    __tablename__ = "store_entry"
