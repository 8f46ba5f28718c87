"""Where the developers' shared data lives (``../shared`` beside the checkout), in one place.

A user's fresh clone has no ``../shared``; tests that read it skip with a reason there.
"""

from __future__ import annotations

from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
INDOSUM = SHARED / "data" / "indosum-dev.jsonl"
SEED = SHARED / "fixtures" / "seed" / "mediaindonesia-keamanan-siber-2018.txt"
FEEDS = SHARED / "fixtures" / "feeds"
MULTI_OUTLET = SHARED / "data" / "multi-outlet-2025-06-10.jsonl"
