"""The password hasher, shared by the user model and sign-in."""

from __future__ import annotations

from advanced_alchemy.types.password_hash.argon2 import Argon2Hasher

# OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): far beyond brute force for 12+ characters,
# and light enough that a sign-in costs a few dozen milliseconds of one core.
ARGON2_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
HASHER = Argon2Hasher(**ARGON2_PARAMETERS)
