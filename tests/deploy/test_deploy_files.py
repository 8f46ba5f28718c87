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
    out = subprocess.run([*command, "-f", str(DEPLOY / "compose.yaml"), "config"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "postgres:16" in out.stdout and "service_healthy" in out.stdout
    assert "postgresql://ringkas:" in out.stdout


def test_every_setting_is_documented_in_env_example() -> None:
    documented = set(re.findall(r"^([A-Z_]+)=", (DEPLOY / ".env.example").read_text(), flags=re.MULTILINE))
    settings = {name.upper() for name in Settings.model_fields}
    assert settings <= documented, settings - documented


def test_systemd_unit_and_dockerfile_say_what_they_must() -> None:
    unit = (DEPLOY / "ringkas.service").read_text()
    for line in ("Restart=on-failure", "EnvironmentFile=", "WorkingDirectory=", "ExecStart=/opt/ringkas/.venv/bin/ringkas run"):
        assert line in unit
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "USER ringkas" in dockerfile and "HEALTHCHECK" in dockerfile and "VOLUME" in dockerfile
    assert "pip install" in dockerfile and "COPY . " not in dockerfile
