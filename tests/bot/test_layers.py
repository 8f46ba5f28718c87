"""The import layers of ``bot/``: every import runs one way, as the packages' docstrings say.

top-level modules (config, logs, metrics, clock) import no package of ``bot``; ``store``
imports only those and ``summarizer``; ``ingest`` adds ``store``; ``telegram`` and ``cli``
add ``ingest``; ``summarizer`` imports nothing of ``bot``, and ``bot`` nothing of its offline
training. Inside ``summarizer``: ``lang`` imports no other part; ``page`` (reading a page) and
``ranking`` (choosing sentences) use only ``lang`` and never each other; ``core`` drives them;
``training`` sits above ``core``. Imports inside functions count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BASE = {"bot", "bot.config", "bot.logs", "bot.metrics", "bot.clock"}
# What each layer may import, besides itself and the standard library and third parties.
SUMMARIZER = {"summarizer.lang", "summarizer.page", "summarizer.ranking", "summarizer.core"}
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "summarizer.lang": set(),
    "summarizer.page": {"summarizer.lang"},
    "summarizer.ranking": {"summarizer.lang"},
    "summarizer.core": SUMMARIZER,
    "summarizer.training": SUMMARIZER,
    "store": {"base", "store"} | SUMMARIZER,
    "ingest": {"base", "store", "ingest"} | SUMMARIZER,
    "telegram": {"base", "store", "ingest", "telegram"} | SUMMARIZER,
    "cli": {"base", "store", "ingest", "telegram", "cli"} | SUMMARIZER,
    "main": {"cli"},
}


def layer(module: str) -> str | None:
    """The layer a dotted module name belongs to, or None outside the project."""
    parts = module.split(".")
    if parts[0] == "summarizer":
        stage = parts[1] if len(parts) > 1 else "core"
        return f"summarizer.{stage}" if stage in {"lang", "page", "ranking", "training"} else "summarizer.core"
    if parts[0] != "bot":
        return None
    if module in BASE:
        return "base"
    if module == "bot.__main__":
        return "main"
    return parts[1]


def imports_of(path: Path) -> list[tuple[int, str]]:
    """Every project module a file imports, with its line."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "bot":
                found += [(node.lineno, f"bot.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if layer(name) is not None]


def module_name(path: Path) -> str:
    """The dotted name of a source file."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


SOURCES = sorted([*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("summarizer").rglob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_run_one_way(path: Path) -> None:
    """No module imports a layer above its own."""
    own = layer(module_name(path))
    assert own is not None
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name} ({layer(name)})"
        for line, name in imports_of(path)
        if layer(name) not in ALLOWED[own] | {own}
    ]
    assert not wrong, "\n".join(wrong)


def test_every_package_says_what_it_owns() -> None:
    """Each package of ``bot`` and ``summarizer`` has a docstring naming what it may import."""
    for init in [*ROOT.joinpath("bot").glob("*/__init__.py"), *ROOT.joinpath("summarizer").glob("*/__init__.py")]:
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "import" in doc, f"{init} needs a docstring saying what it owns and imports"
