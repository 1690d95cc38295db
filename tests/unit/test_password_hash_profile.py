from __future__ import annotations

import pytest

from konfliktmanagement.lib.hashing import ARGON2_PARAMETERS, FAST_ARGON2_PARAMETERS, HASHER, argon2_parameters


def test_production_and_development_keep_the_owasp_cost() -> None:
    assert argon2_parameters({}) == ARGON2_PARAMETERS == {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
    assert argon2_parameters({"KM_PASSWORD_HASH_PROFILE": "default", "KM_ENVIRONMENT": "production"}) == (
        ARGON2_PARAMETERS
    )


def test_the_fast_profile_is_refused_in_production() -> None:
    assert argon2_parameters({"KM_PASSWORD_HASH_PROFILE": "fast", "KM_ENVIRONMENT": "test"}) == FAST_ARGON2_PARAMETERS
    with pytest.raises(RuntimeError, match="refused"):
        argon2_parameters({"KM_PASSWORD_HASH_PROFILE": "fast", "KM_ENVIRONMENT": "production"})
    with pytest.raises(RuntimeError, match="must be"):
        argon2_parameters({"KM_PASSWORD_HASH_PROFILE": "cheap"})


def test_the_suite_runs_with_cheap_argon2_and_hashes_verify_across_profiles() -> None:
    from advanced_alchemy.types.password_hash.argon2 import Argon2Hasher

    fast_hash = HASHER.hash("correct horse battery staple")
    assert str(fast_hash).startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert Argon2Hasher(**ARGON2_PARAMETERS).verify("correct horse battery staple", fast_hash)
