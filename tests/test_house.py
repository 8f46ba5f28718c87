"""The house rules that keep the code readable: short modules and documented functions."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for pkg in ("bot", "summarizer") for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts]
MAX_LINES = 250
DOCSTRING_SHARE = 0.90


def test_no_module_is_over_the_line_limit() -> None:
    """A module past the limit is asking to be split along its own stages."""
    long = {str(p.relative_to(ROOT)): n for p in SOURCES if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_functions_say_what_they_do() -> None:
    """At least 90 % of functions carry a docstring."""
    functions = [
        node
        for path in SOURCES
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    documented = sum(1 for f in functions if ast.get_docstring(f))
    assert documented / len(functions) >= DOCSTRING_SHARE, f"{documented}/{len(functions)} documented"
