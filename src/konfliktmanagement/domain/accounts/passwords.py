"""Password rules and verification off the event loop (argon2 costs tens of milliseconds of CPU).

Hashing happens in the `PasswordHash` column type when a plain password is assigned."""

from __future__ import annotations

from advanced_alchemy.types.password_hash.base import HashedPassword
from anyio import to_thread

from konfliktmanagement.lib.hashing import HASHER
from konfliktmanagement.lib.i18n import gettext as _

MIN_PASSWORD_LENGTH = 12
# Verifying against this keeps an unknown e-mail as slow as a wrong password.
_DUMMY_HASH = HashedPassword(HASHER.hash("not-a-real-password-0000"), HASHER)


def password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Das Passwort muss mindestens %(n)d Zeichen lang sein.") % {"n": MIN_PASSWORD_LENGTH}
    if len(password) > 1024:
        return _("Das Passwort ist zu lang.")
    return None


async def verify(hashed: HashedPassword | None, password: str) -> bool:
    target = hashed if hashed is not None else _DUMMY_HASH
    matches = await to_thread.run_sync(target.verify, password)
    return matches and hashed is not None
