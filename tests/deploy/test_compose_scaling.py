"""deploy/compose.yaml runs one program in three services by role, and the scaled ones can scale.

``docker compose up --scale ingest=3 --scale deliver=2`` needs services without a fixed
container name or published port; the roles must be the ones ``RINGKAS_ROLES`` knows, every
process on the PostgreSQL service, and together they must cover every role exactly once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.config import ROLES

COMPOSE = Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml"
SCALED = ("ingest", "deliver")


def services() -> dict[str, Any]:
    """The services, with YAML merge keys resolved as compose resolves them."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded["services"]


def test_services_split_the_roles_on_postgres() -> None:
    found = services()
    assert {"postgres", "bot", "ingest", "deliver"} <= set(found)
    roles = {name: found[name]["environment"]["RINGKAS_ROLES"] for name in ("bot", *SCALED)}
    assert roles == {"bot": "updates,schedule", "ingest": "ingest", "deliver": "deliver"}
    assert sorted(r for value in roles.values() for r in value.split(",")) == sorted(ROLES)
    for name in ("bot", *SCALED):
        service = found[name]
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://"), name
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy", name
        assert service["environment"]["TELEGRAM_BOT_TOKEN"] == found["bot"]["environment"]["TELEGRAM_BOT_TOKEN"]


def test_scaled_services_have_no_fixed_name_or_published_port() -> None:
    found = services()
    for name in SCALED:
        service = found[name]
        assert "container_name" not in service, name
        assert not service.get("ports"), name
        assert service["image"] == found["bot"]["image"], name
