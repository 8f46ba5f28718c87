"""The ``ringkas`` command line: one sub-command per user-facing capability."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ringkas", description="Ringkas: berita Indonesia, ringkas.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Telegram bot with ingestion and digests")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ringkas`` console script."""
    args = _build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command == "run":
        print("ringkas run: the Telegram bot is not built yet", file=sys.stderr)
        return 2
    return 2
