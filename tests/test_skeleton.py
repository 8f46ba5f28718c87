"""The package installs and the console script answers."""

import subprocess
import sys


def test_python_m_bot_help() -> None:
    out = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "ringkas" in out.stdout
