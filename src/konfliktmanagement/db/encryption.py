"""The key for encrypted columns (and the type for encrypted binary content). The key comes from settings at
start-up and never touches the database."""

from __future__ import annotations

from functools import lru_cache

from advanced_alchemy.types import FernetBackend
from cryptography.fernet import Fernet
from sqlalchemy import Dialect, LargeBinary, TypeDecorator

_key: str | None = None


def set_encryption_key(key: str) -> None:
    global _key
    _key = key


def encryption_key() -> str:
    if not _key:
        msg = "no encryption key configured (create_app sets it from KM_ENCRYPTION_KEY)"
        raise RuntimeError(msg)
    return _key


class EncryptedBytes(TypeDecorator[bytes]):
    """Binary content encrypted at rest with the contact data's key (attachments, DESIGN.md §5).

    advanced-alchemy's `EncryptedString` encrypts text only; this is its Fernet backend on bytes, the key
    derived the same way (SHA-256 of `KM_ENCRYPTION_KEY`), so one key and one rotation cover both.
    The column stores the Fernet token (authenticated: altered bytes fail to decrypt instead of serving).
    """

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else _fernet(encryption_key()).encrypt(value)

    def process_result_value(self, value: bytes | None, dialect: Dialect) -> bytes | None:
        return None if value is None else _fernet(encryption_key()).decrypt(bytes(value))


@lru_cache(maxsize=2)
def _fernet(key: str) -> Fernet:
    backend = FernetBackend()
    backend.mount_vault(key)
    return backend.fernet
