"""The password hasher, shared by the user model and sign-in."""

from __future__ import annotations

import os
from collections.abc import Mapping

from advanced_alchemy.types.password_hash.argon2 import Argon2Hasher

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): far beyond brute force for 12+ characters,
# and light enough that a sign-in costs a few dozen milliseconds of one core.
ARGON2_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
# Still argon2id, at the lowest cost argon2 accepts (1 pass, 8 KiB): only for the test suite, which
# creates and signs in thousands of users. Stored hashes carry their parameters, so either hasher
# verifies the other's hashes.
FAST_ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}

PROFILE_ENV = "KM_PASSWORD_HASH_PROFILE"


def argon2_parameters(environ: Mapping[str, str] = os.environ) -> dict[str, int]:
    """The cost profile, chosen once per process (the column type is built at import time).

    `KM_PASSWORD_HASH_PROFILE=fast` is set by tests/conftest.py before the app is imported. It is refused
    (the process does not start) when `KM_ENVIRONMENT=production`: a weak hash there must never be silent.
    """
    profile = environ.get(PROFILE_ENV, "").strip().lower()
    if profile in {"", "default"}:
        return ARGON2_PARAMETERS
    if profile != "fast":
        msg = f"{PROFILE_ENV} must be 'default' or 'fast', not {profile!r}"
        raise RuntimeError(msg)
    if environ.get("KM_ENVIRONMENT", "").strip().lower() == "production":
        msg = f"{PROFILE_ENV}=fast is for the test suite only and refused with KM_ENVIRONMENT=production"
        raise RuntimeError(msg)
    return FAST_ARGON2_PARAMETERS


HASHER = Argon2Hasher(**argon2_parameters())
