"""The defaults documented for every setting (the configuration table in ``docs/operations.md``,
``deploy/.env.example``) are the code's; that every setting is listed at all is
``tests/deploy/test_deploy_files.py``'s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[3]
TABLE_ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| ([^|]*) \|", re.MULTILINE)
FIELDS = sorted(Settings.model_fields)


def documented_defaults() -> dict[str, str]:
    """The default cell of each row of the configuration table in docs/operations.md."""
    section = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8").split("## Configuration", 1)[1]
    return {name: cell.strip() for name, cell in TABLE_ROW.findall(section.split("\n## ", 1)[0])}


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in FIELDS:
        monkeypatch.delenv(name.upper(), raising=False)


def test_the_env_example_holds_the_code_defaults(clean_environment: None) -> None:
    example = Settings(_env_file=ROOT / "deploy" / ".env.example")  # type: ignore[call-arg]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    example_values = example.model_dump(exclude={"telegram_bot_token", "ringkas_webhook_secret"})
    # POSTGRES_PASSWORD is compose's, not the bot's; DATABASE_URL is the same SQLite default.
    assert example_values == defaults.model_dump(exclude={"telegram_bot_token", "ringkas_webhook_secret"})


def test_the_documented_defaults_are_the_code_defaults() -> None:
    """Where the documented default cell is a plain value (not words such as "random"), it is the code's."""
    mismatched = []
    for field, cell in ((f, documented_defaults()[f.upper()]) for f in FIELDS):
        default = Settings.model_fields[field].default
        plain = re.fullmatch(r"`([^`…]*)`", cell)
        if plain is None or default is None or not isinstance(default, int | float | str | bool):
            continue
        written = {str(default).lower() if isinstance(default, bool) else str(default)}
        if isinstance(default, float):
            written.add(f"{default:g}")
        if plain[1] not in written:
            mismatched.append((field, plain[1], default))
    assert mismatched == []
