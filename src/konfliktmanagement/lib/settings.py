"""Runtime configuration, read once from ``KM_*`` environment variables."""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# What `KM_SECRET_KEY` and `KM_ENCRYPTION_KEY` must at least have: 32 characters is 256 bits of
# the generated keys; a minimum of different characters refuses "aaaa…" and the like.
MIN_SECRET_LENGTH = 32
MIN_SECRET_DISTINCT = 8


def _resource_dir(name: str) -> Path:
    """Find `templates/` or `migrations/`: next to the source tree in a checkout, inside the wheel otherwise."""
    checkout = PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / "_resources" / name


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"
    TEST = "test"


class LogFormat(StrEnum):
    CONSOLE = "console"
    JSON = "json"


class Settings(BaseSettings):
    """Every setting has a safe default for a laptop; production must set the secrets explicitly."""

    # A refusal must not print what was given: pydantic's error text quotes the input (the secrets).
    model_config = SettingsConfigDict(env_prefix="KM_", frozen=True, extra="ignore", hide_input_in_errors=True)

    environment: Environment = Environment.DEVELOPMENT
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    forwarded_allow_ips: str = ""
    data_dir: Path = Path("data")
    database_url: str = ""
    database_echo: bool = False
    database_pool_size: Annotated[int, Field(ge=1)] = 10
    # asyncpg's prepared-statement cache; 0 behind PgBouncer in transaction pooling (README).
    database_statement_cache_size: Annotated[int, Field(ge=0)] = 100
    workers: Annotated[int, Field(ge=1)] | None = None  # None: 1 on SQLite, one per core on PostgreSQL

    # SecretStr: never shown by repr() or in logs of the settings.
    secret_key: SecretStr = SecretStr("")
    encryption_key: SecretStr = SecretStr("")

    cookie_secure: bool = False
    session_idle_minutes: Annotated[int, Field(ge=1)] = 60
    session_absolute_hours: Annotated[int, Field(ge=1)] = 10
    # Failed sign-ins from one client address in 15 minutes before it must wait (an office shares one).
    sign_in_failures_per_address: Annotated[int, Field(ge=1)] = 100
    # Account links by e-mail: how long an invitation and a reset link work, and how many reset requests
    # one client address may send per hour (an office shares one).
    invitation_valid_hours: Annotated[int, Field(ge=1)] = 72
    password_reset_valid_minutes: Annotated[int, Field(ge=5)] = 60
    password_resets_per_address: Annotated[int, Field(ge=1)] = 20
    # Where people reach the service: links in e-mails and the calendar feed's URL start with it (never
    # taken from a request's Host header, which a client chooses). Empty: http://KM_HOST:KM_PORT.
    base_url: str = ""

    log_format: LogFormat | None = None
    log_level: str = "INFO"

    public_statistics: bool = False

    mail_host: str = "127.0.0.1"
    mail_port: Annotated[int, Field(ge=1, le=65535)] = 25
    mail_username: str = ""
    mail_password: str = ""
    mail_use_tls: bool = False
    mail_sender: str = "konfliktmanagement@localhost"
    outbox_interval_seconds: Annotated[int, Field(ge=0)] = 60  # 0: no background delivery
    # Four eyes on round-table reports: a coordinator other than the drafter reviews. A one-person
    # office turns it off; its reports then say that no second person reviewed them.
    report_four_eyes: bool = True
    retention_interval_hours: Annotated[int, Field(ge=0)] = 24  # 0: no background retention run
    notification_interval_minutes: Annotated[int, Field(ge=0)] = 60  # 0: no background notification job
    digest_hour: Annotated[int, Field(ge=0, le=23)] = 6  # the daily e-mail digest goes out from this hour (Berlin)

    templates_dir: Path = Field(default_factory=lambda: _resource_dir("templates"))
    migrations_dir: Path = Field(default_factory=lambda: _resource_dir("migrations"))

    @field_validator("secret_key", "encryption_key")
    @classmethod
    def _strong_enough(cls, value: SecretStr, info: ValidationInfo) -> SecretStr:
        """A given key must be long and varied enough to guess; the message never repeats it.

        The encryption key is not used as a Fernet key directly: advanced-alchemy's FernetBackend
        derives the Fernet key from it with SHA-256, so any text works technically and what it needs
        is entropy. A generated Fernet key (44 characters) or `secrets.token_urlsafe(32)` passes.
        """
        key = value.get_secret_value()
        if key and (len(key) < MIN_SECRET_LENGTH or len(set(key)) < MIN_SECRET_DISTINCT):
            msg = (
                f"KM_{str(info.field_name).upper()} is too weak: it needs at least {MIN_SECRET_LENGTH} characters"
                f" with at least {MIN_SECRET_DISTINCT} different ones"
                ' (e.g. python -c "import secrets; print(secrets.token_urlsafe(32))")'
            )
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        if self.environment is Environment.PRODUCTION:
            given = {
                "secret_key": bool(self.secret_key.get_secret_value()),
                "encryption_key": bool(self.encryption_key.get_secret_value()),
                "database_url": bool(self.database_url),
            }
            missing = [name for name, present in given.items() if not present]
            if missing:
                names = ", ".join(f"KM_{name.upper()}" for name in missing)
                msg = f"production needs {names}"
                raise ValueError(msg)
            if not self.cookie_secure:
                msg = "production needs KM_COOKIE_SECURE=true"
                raise ValueError(msg)
        return self

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def effective_log_format(self) -> LogFormat:
        if self.log_format is not None:
            return self.log_format
        return LogFormat.JSON if self.is_production else LogFormat.CONSOLE

    @property
    def effective_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def effective_workers(self) -> int:
        """`serve` processes: SQLite has one writer and lives in one file, so one process by default;
        PostgreSQL one per core. The processes share nothing but the database."""
        if self.workers is not None:
            return self.workers
        if self.effective_database_url.startswith("sqlite"):
            return 1
        return os.cpu_count() or 1

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite+aiosqlite:///{(self.data_dir / 'konfliktmanagement.sqlite3').resolve()}"

    @cached_property
    def effective_secret_key(self) -> str:
        return self.secret_key.get_secret_value() or self._local_secret("secret.key")

    @cached_property
    def effective_encryption_key(self) -> str:
        return self.encryption_key.get_secret_value() or self._local_secret("encryption.key")

    def _local_secret(self, name: str) -> str:
        """Outside production a missing secret is generated once and kept in the data folder."""
        path = self.data_dir / name
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(32)
        path.write_text(value, encoding="utf-8")
        path.chmod(0o600)
        return value


def normalise_database_url(url: str) -> str:
    """Accept the plain URLs operators know (`postgresql://`, `sqlite:///`) and pick the async drivers."""
    for plain, driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url
