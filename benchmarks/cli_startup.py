"""How long ``ringkas summarize PAGE`` takes as a whole process, and where the time goes.

Runs the command (``python -m bot summarize PAGE``) several times in fresh processes and
prints the median and best wall time, then the slowest top-level imports of one run
(``python -X importtime``), so a regression in start-up cost shows which import caused it.
The page defaults to the seed page in ../shared. Run from the project root:
``.venv/bin/python benchmarks/cli_startup.py [PAGE] [--runs N]``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "fixtures" / "seed" / "mediaindonesia-keamanan-siber-2018.txt"
TOP_IMPORTS = 12


def run_once(page: Path) -> float:
    """Seconds for one ``ringkas summarize page`` process, start to exit."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "summarize", str(page)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def slowest_imports(page: Path) -> list[tuple[int, str]]:
    """(cumulative microseconds, module) of the slowest imports of one run, nested ones too."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", "summarize", str(page)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        depth = (len(name) - len(name.lstrip()) - 1) // 2  # importtime indents by two
        if depth <= 1:
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:TOP_IMPORTS]


def main() -> int:
    """Time the command and print two Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", type=Path, default=SEED)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if not args.page.is_file():
        print(f"no page at {args.page}", file=sys.stderr)
        return 2
    run_once(args.page)  # warm the file cache and bytecode
    times = [run_once(args.page) for _ in range(args.runs)]
    print(f"## `ringkas summarize {args.page.name}`, {args.runs} runs\n")
    print("| median s | best s | worst s |\n|---:|---:|---:|")
    print(f"| {statistics.median(times):.2f} | {min(times):.2f} | {max(times):.2f} |")
    print("\n## Slowest imports of one run (top level and one below)\n")
    print("| module | cumulative ms |\n|---|---:|")
    for micros, name in slowest_imports(args.page):
        print(f"| {name} | {micros / 1000:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
