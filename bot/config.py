"""The one home of configuration: environment variables and ``.env``."""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///data/ringkas.db"
# What a `ringkas run` process does (RINGKAS_ROLES): receive updates, run the clock (digests due,
# alerts, retention), poll feeds, send deliveries. All four by default, in one process.
ROLES = ("updates", "schedule", "ingest", "deliver")


class Settings(BaseSettings):
    """Every setting has a default that works on a laptop."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    ringkas_admin_ids: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    ringkas_timezone: str = "Asia/Jakarta"
    ringkas_digest_time: str = "07:00"
    ringkas_allow_private_urls: bool = False
    ringkas_seed_feeds: bool = True
    ringkas_retention_days: int = Field(default=30, ge=1)
    ringkas_metrics_port: int | None = None
    ringkas_tick_seconds: float = Field(default=30.0, gt=0)
    ringkas_send_rate: float = Field(default=29.5, ge=0)
    ringkas_ingest: bool = True
    ringkas_roles: str = ",".join(ROLES)
    # Seconds a process's claim on a feed or delivery lasts unless renewed (it renews its own
    # every third of that); a killed process's work is taken over by another after at most this.
    ringkas_lease_seconds: float = Field(default=60.0, ge=1)
    ringkas_webhook_secret: SecretStr | None = None
    # Seconds before the bot deletes its own posts in a channel (not digests); 0 keeps them.
    ringkas_channel_cleanup_seconds: float = Field(default=120.0, ge=0)
    ringkas_user_agent: str = "Ringkas/0.1 (+https://github.com/ringkas/ringkas; news digest bot)"
    # What one feed may cost: items per poll, page fetches per host, CPU time per document.
    ringkas_max_items_per_poll: int = Field(default=100, ge=1)
    ringkas_fetch_per_host: int = Field(default=2, ge=1)
    ringkas_fetch_host_delay: float = Field(default=1.0, ge=0)
    ringkas_parse_timeout: float = Field(default=20.0, gt=0)
    # Default: the cores less one (at least one): the ingesting process itself stores one article
    # after another on a core of its own, and a worker beyond the cores only adds memory.
    ringkas_parse_workers: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 2) - 1), ge=1)
    # Readers' links, apart from ingestion: worker processes, and seconds to fetch a page (the
    # wait for a free slot on its host included) before the reader is told the site is busy or slow.
    ringkas_link_workers: int = Field(default=2, ge=1)
    ringkas_link_timeout: float = Field(default=30.0, gt=0)
    # Operations: "text" writes key=value lines, "json" one JSON object per line for log shippers.
    ringkas_log_format: Literal["text", "json"] = "text"

    @field_validator("ringkas_log_format", mode="before")
    @classmethod
    def _lower_format(cls, value: object) -> object:
        """Accept "JSON" and " json " as well as "json"."""
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("ringkas_roles")
    @classmethod
    def _known_roles(cls, value: str) -> str:
        """The roles, normalized ("ingest,deliver"); a ValueError for an unknown role or none."""
        roles = {part.strip().lower() for part in value.split(",") if part.strip()}
        unknown = sorted(roles - set(ROLES))
        if unknown:
            raise ValueError(f"unknown role {unknown[0]!r} (choose from {', '.join(ROLES)})")
        if not roles:
            raise ValueError(f"no role given (choose from {', '.join(ROLES)})")
        return ",".join(role for role in ROLES if role in roles)

    @field_validator("ringkas_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        """The zone name unchanged; a ValueError (which pydantic reports) for an unknown one."""
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:  # KeyError-based: pydantic would not catch it
            raise ValueError(f"unknown time zone {value!r} (e.g. Asia/Jakarta)") from exc
        return value

    @property
    def admin_ids(self) -> frozenset[int]:
        """The Telegram user ids allowed to run admin commands."""
        return frozenset(int(p) for p in self.ringkas_admin_ids.replace(" ", "").split(",") if p)

    @property
    def roles(self) -> frozenset[str]:
        """What ``ringkas run`` does in this process (RINGKAS_ROLES)."""
        return frozenset(self.ringkas_roles.split(","))

    @property
    def timezone(self) -> ZoneInfo:
        """The default timezone for digests and displayed times."""
        return ZoneInfo(self.ringkas_timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the settings once per process."""
    return Settings()
