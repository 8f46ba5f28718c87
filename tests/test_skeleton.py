"""The package installs and the console script answers."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_python_m_bot_help() -> None:
    out = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "ringkas" in out.stdout


LICENSE_CHECK = """
import os, sys, warnings
from setuptools.config.pyprojecttoml import apply_configuration
from setuptools.dist import Distribution
os.chdir(sys.argv[1])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    apply_configuration(Distribution(), "pyproject.toml")
for warning in caught:
    print(str(warning.message).splitlines()[0])
"""


def test_pyproject_reads_without_deprecation_warnings() -> None:
    """What `pip install -e .` warned about (project.license as a TOML table) stays fixed."""
    pytest.importorskip("setuptools")
    with (ROOT / "pyproject.toml").open("rb") as file:
        project = tomllib.load(file)
    assert project["project"]["license"] == "MIT"  # an SPDX expression, setuptools >= 77
    assert "setuptools>=77" in project["build-system"]["requires"]
    out = subprocess.run([sys.executable, "-c", LICENSE_CHECK, str(ROOT)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
