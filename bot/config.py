"""One Settings object, read from the environment and `.env`. Nothing else reads os.environ."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
MIN_SECRET_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    SLACK_BOT_TOKEN: SecretStr | None = None
    SLACK_SIGNING_SECRET: SecretStr | None = None
    SLACK_APP_TOKEN: SecretStr | None = None
    SLACK_API_URL: str = DEFAULT_SLACK_API_URL
    DATABASE_URL: str = "sqlite:///symmetry.db"
    SYMMETRY_TIMEZONE: str = "UTC"
    SYMMETRY_INGEST_TOKEN: SecretStr | None = None
    SYMMETRY_TAXONOMY: Path | None = None
    SYMMETRY_DIGEST_THREAD_PAGES: int = Field(default=5, ge=0, le=50)
    SYMMETRY_LOG_LEVEL: str = "INFO"
    SYMMETRY_SLACK_ADMINS_ARE_ADMINS: bool = True
    SYMMETRY_ANSWER_WORKERS: int = Field(default=4, ge=1, le=64)
    SYMMETRY_ANSWER_QUEUE_SIZE: int = Field(default=200, ge=1, le=100_000)
    SYMMETRY_ANSWER_PROCESS: bool = True
    SYMMETRY_CHART_PROCESSES: int = Field(default=2, ge=0, le=32)
    SYMMETRY_TICK_SECONDS: int = Field(default=60, ge=1, le=3600)
    SYMMETRY_DIGEST_LEASE_SECONDS: int = Field(default=120, ge=2, le=3600)
    SYMMETRY_EMPLOYEE_FEATURES: bool = True
    SYMMETRY_SECRET_KEY: SecretStr | None = None
    SYMMETRY_RELAY_DELAY_MINUTES: int = Field(default=30, ge=0, le=24 * 60)
    SYMMETRY_SURVEY_QUESTIONS: Path | None = None
    SYMMETRY_SURVEY_DM_PER_SECOND: float = Field(default=1.0, gt=0, le=100)
    SYMMETRY_SURVEY_DM_BURST: float = Field(default=5.0, ge=1, le=1000)

    @field_validator(
        "SLACK_BOT_TOKEN",
        "SLACK_SIGNING_SECRET",
        "SLACK_APP_TOKEN",
        "SYMMETRY_INGEST_TOKEN",
        "SYMMETRY_TAXONOMY",
        "SYMMETRY_SECRET_KEY",
        "SYMMETRY_SURVEY_QUESTIONS",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("SYMMETRY_TIMEZONE")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        check_timezone(value)
        return value

    @field_validator("DATABASE_URL")
    @classmethod
    def _database_url(cls, value: str) -> str:
        check_database_url(value)
        return value

    @field_validator("SLACK_API_URL")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value if value.endswith("/") else value + "/"

    @field_validator("SLACK_BOT_TOKEN")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("must be a bot token starting with xoxb- (OAuth & Permissions page)")
        return value

    @field_validator("SLACK_APP_TOKEN")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("must be an app-level token starting with xapp- (Basic Information page)")
        return value

    @field_validator("SYMMETRY_SECRET_KEY")
    @classmethod
    def _secret_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"must be at least {MIN_SECRET_LENGTH} characters "
                '(make one with: python -c "import secrets; print(secrets.token_hex(32))")'
            )
        return value

    @property
    def timezone(self) -> ZoneInfo:
        return ZoneInfo(self.SYMMETRY_TIMEZONE)

    def require_slack(self) -> None:
        """`run` and `serve` need Slack credentials; `demo`, `import`, `ask` do not."""
        missing = [n for n in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET") if getattr(self, n) is None]
        if missing:
            raise ConfigError(f"missing setting {', '.join(missing)}: set it in .env (see .env.example)")

    def require_secret(self) -> str:
        """The employee features (pulse, stories, suggestions) key their anonymity on this secret."""
        if self.SYMMETRY_SECRET_KEY is None:
            raise ConfigError(
                "missing setting SYMMETRY_SECRET_KEY: the employee features (pulse, best failures, "
                "suggestions) need it to keep answers anonymous. Set it in .env "
                '(python -c "import secrets; print(secrets.token_hex(32))"), keep it out of backups '
                "of the database, or set SYMMETRY_EMPLOYEE_FEATURES=false"
            )
        return self.SYMMETRY_SECRET_KEY.get_secret_value()


def check_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as Europe/Paris)") from exc


def check_database_url(url: str) -> None:
    """A URL with a scheme whose driver is installed: sqlite:///symmetry.db, postgresql://user@host/db."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from bot.db import normalise_url

    example = "e.g. sqlite:///symmetry.db or postgresql://user:password@host:5432/symmetry"
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise ValueError(f"{_hide_password(url)!r} is not a database URL ({example})") from None
    try:
        dialect = parsed.get_dialect()
    except NoSuchModuleError:
        raise ValueError(
            f"unknown database {parsed.drivername!r}: use sqlite or postgresql ({example})"
        ) from None
    try:
        dialect.import_dbapi()
    except ImportError as exc:
        raise ValueError(
            f"the driver for {parsed.drivername!r} is not installed ({exc.name or exc}): "
            "use postgresql:// (psycopg, installed) or sqlite:///"
        ) from None


def _hide_password(url: str) -> str:
    head, at, tail = url.rpartition("@")
    if not at or ":" not in head.split("//")[-1]:
        return url
    scheme, _, creds = head.rpartition("//")
    return f"{scheme}//{creds.split(':')[0]}:***@{tail}"


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env; a wrong value stops with one clear line (ConfigError)."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]) or "settings"
        msg = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"setting {name}: {msg}") from None
