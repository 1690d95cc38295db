"""Start-up refuses weak keys and never prints a secret's value or a part of it."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from pydantic import ValidationError

from konfliktmanagement.lib.settings import Environment, Settings

STRONG_SECRET = "Zq8-Wv4Tp9Lk2Mx7Rb5Nc1Hd6Gf3Js0Ya8Ke"
STRONG_ENCRYPTION_KEY = "Xv3_Qm8Rt2Wz6Pn4Lb9Kc7Hy1Dg5Fs0Ju3Ea"


def production(**overrides: str) -> dict[str, object]:
    values: dict[str, object] = {
        "KM_ENVIRONMENT": Environment.PRODUCTION.value,
        "KM_DATABASE_URL": "postgresql://db/km",
        "KM_COOKIE_SECURE": "true",
        "KM_SECRET_KEY": STRONG_SECRET,
        "KM_ENCRYPTION_KEY": STRONG_ENCRYPTION_KEY,
    }
    values.update(overrides)
    return values


def refusal_text(monkeypatch: pytest.MonkeyPatch, environment: dict[str, object]) -> str:
    """Everything a refused start-up prints: the exception with its whole traceback."""
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    with pytest.raises(ValidationError) as refused:
        Settings()
    return "".join(traceback.format_exception(refused.value)) + repr(refused.value)


def fragments(secret: str, size: int = 6) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


@pytest.mark.parametrize(
    ("variable", "weak"),
    [
        ("KM_SECRET_KEY", "x"),
        ("KM_ENCRYPTION_KEY", "x"),
        ("KM_SECRET_KEY", "short-but-not-empty-key"),
        ("KM_ENCRYPTION_KEY", "ab" * 20),  # long, but two characters
    ],
)
def test_weak_keys_are_refused_by_name(monkeypatch: pytest.MonkeyPatch, variable: str, weak: str) -> None:
    text = refusal_text(monkeypatch, production(**{variable: weak}))
    assert variable in text
    assert "too weak" in text


@pytest.mark.parametrize("variable", ["KM_SECRET_KEY", "KM_ENCRYPTION_KEY"])
def test_a_refusal_never_prints_a_secret_or_part_of_it(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    # One key weak, the other strong: neither may appear, not even in part.
    text = refusal_text(monkeypatch, production(**{variable: "Qw7Pz3Yx"}))
    for secret in (STRONG_SECRET, STRONG_ENCRYPTION_KEY, "Qw7Pz3Yx"):
        leaked = [fragment for fragment in fragments(secret) if fragment in text]
        assert not leaked, leaked
    # Other refusals (cookies not secure) do not print the keys either.
    text = refusal_text(monkeypatch, production(KM_COOKIE_SECURE="false"))
    assert not [fragment for fragment in fragments(STRONG_ENCRYPTION_KEY) if fragment in text]


def test_settings_never_show_the_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in production().items():
        monkeypatch.setenv(name, str(value))
    settings = Settings()
    assert STRONG_SECRET not in repr(settings)
    assert STRONG_ENCRYPTION_KEY not in repr(settings)
    assert settings.effective_secret_key == STRONG_SECRET
    assert settings.effective_encryption_key == STRONG_ENCRYPTION_KEY


def test_generated_fernet_keys_and_the_local_defaults_are_accepted(tmp_path: Path) -> None:
    fernet_key = Fernet.generate_key().decode()
    settings = Settings(
        environment=Environment.PRODUCTION,
        database_url="postgresql://db/km",
        cookie_secure=True,
        secret_key=STRONG_SECRET,
        encryption_key=fernet_key,
    )
    assert settings.effective_encryption_key == fernet_key
    local = Settings(data_dir=tmp_path)  # development: generated once, strong enough for the checks
    Settings(data_dir=tmp_path, secret_key=local.effective_secret_key, encryption_key=local.effective_encryption_key)
