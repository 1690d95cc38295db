from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from konfliktmanagement.lib.settings import Environment, LogFormat, Settings, normalise_database_url


def test_defaults_are_safe_for_a_laptop(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.effective_database_url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'konfliktmanagement.sqlite3'}"
    assert settings.effective_log_format is LogFormat.CONSOLE
    key = settings.effective_secret_key
    assert len(key) >= 32
    assert Settings(data_dir=tmp_path).effective_secret_key == key, "generated once, then kept"
    assert (tmp_path / "secret.key").stat().st_mode & 0o077 == 0
    assert settings.report_four_eyes, "a second coordinator reviews reports unless an office turns it off"


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KM_PORT", "8123")
    monkeypatch.setenv("KM_DATABASE_URL", "postgresql://u@db/km")
    monkeypatch.setenv("KM_REPORT_FOUR_EYES", "false")
    settings = Settings()
    assert settings.port == 8123
    assert settings.report_four_eyes is False
    assert settings.effective_database_url == "postgresql+asyncpg://u@db/km"


STRONG_SECRET = "s3cret-Key-for-signing-cookies-0123456789"
STRONG_ENCRYPTION_KEY = "e9-Encryption-Key-for-party-data-0123456789"


def test_production_refuses_to_start_without_secrets() -> None:
    with pytest.raises(ValidationError, match="KM_SECRET_KEY"):
        Settings(environment=Environment.PRODUCTION, database_url="postgresql://db/km")
    with pytest.raises(ValidationError, match="KM_COOKIE_SECURE"):
        Settings(
            environment=Environment.PRODUCTION,
            database_url="postgresql://db/km",
            secret_key=STRONG_SECRET,
            encryption_key=STRONG_ENCRYPTION_KEY,
        )
    ok = Settings(
        environment=Environment.PRODUCTION,
        database_url="postgresql://db/km",
        secret_key=STRONG_SECRET,
        encryption_key=STRONG_ENCRYPTION_KEY,
        cookie_secure=True,
    )
    assert ok.effective_log_format is LogFormat.JSON


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://a@b/c", "postgresql+asyncpg://a@b/c"),
        ("postgresql://a@b/c", "postgresql+asyncpg://a@b/c"),
        ("postgresql+asyncpg://a@b/c", "postgresql+asyncpg://a@b/c"),
        ("sqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_database_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_database_url(given) == expected
