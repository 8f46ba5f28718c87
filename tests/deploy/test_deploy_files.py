"""The deployment files are valid: compose config, systemd unit, Dockerfile, .env.example."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def compose_command() -> list[str] | None:
    """`docker compose` where the plugin exists, else Debian's `docker-compose`, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_file_validates() -> None:
    command = compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor `docker-compose` is installed here (apt-get install docker-compose)")
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123:validation-only"}
    out = subprocess.run(
        [*command, "-f", str(DEPLOY / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "postgres:16" in out.stdout and "service_healthy" in out.stdout
    assert "postgresql://ringkas:" in out.stdout


# Variables .env.example names that are not Ringkas settings: read by compose itself.
COMPOSE_ONLY = {"POSTGRES_PASSWORD"}


def env_example_names() -> set[str]:
    """The variables deploy/.env.example assigns."""
    return set(re.findall(r"^([A-Z_]+)=", (DEPLOY / ".env.example").read_text(), flags=re.MULTILINE))


def documented_config_names() -> set[str]:
    """The variables in the first column of the configuration table in docs/operations.md."""
    section = (ROOT / "docs" / "operations.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))


def test_every_setting_is_documented_in_env_example() -> None:
    documented = env_example_names()
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= documented, settings - documented
    assert documented - settings <= COMPOSE_ONLY, documented - settings - COMPOSE_ONLY


def test_documented_configuration_table_matches_env_example() -> None:
    in_docs, in_example = documented_config_names(), env_example_names()
    assert in_example - in_docs == set(), f"missing from docs/operations.md#configuration: {in_example - in_docs}"
    assert in_docs - in_example == set(), f"missing from deploy/.env.example: {in_docs - in_example}"


def test_compose_passes_every_setting_to_the_bot() -> None:
    compose = (DEPLOY / "compose.yaml").read_text()
    bot_section = compose.split("\n  bot:\n", 1)[1]
    passed = set(re.findall(r"^      ([A-Z_]+):", bot_section, flags=re.MULTILINE))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= passed, settings - passed


def test_systemd_unit_and_dockerfile_say_what_they_must() -> None:
    unit = (DEPLOY / "ringkas.service").read_text()
    for line in (
        "Restart=on-failure",
        "EnvironmentFile=",
        "WorkingDirectory=",
        "ExecStart=/opt/ringkas/.venv/bin/ringkas run",
    ):
        assert line in unit
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "USER ringkas" in dockerfile and "HEALTHCHECK" in dockerfile and "VOLUME" in dockerfile
    assert "pip install" in dockerfile and "COPY . " not in dockerfile


def test_docker_and_compose_health_checks_run_ringkas_health() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r'HEALTHCHECK [^\n]*\\\n\s+CMD \["ringkas", "health"\]', dockerfile), "Dockerfile HEALTHCHECK"
    bot_section = (DEPLOY / "compose.yaml").read_text().split("\n  bot:\n", 1)[1]
    assert 'test: ["CMD", "ringkas", "health"]' in bot_section
