"""The key for encrypted columns. It comes from settings at start-up and never touches the database."""

from __future__ import annotations

_key: str | None = None


def set_encryption_key(key: str) -> None:
    global _key
    _key = key


def encryption_key() -> str:
    if not _key:
        msg = "no encryption key configured (create_app sets it from KM_ENCRYPTION_KEY)"
        raise RuntimeError(msg)
    return _key
