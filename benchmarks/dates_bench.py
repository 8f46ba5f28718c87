"""Feed-date parsers compared for correctness and speed; prints a table.

Candidates: the hand-written parser of ``summarizer.lang.dates`` alone, ``parse_feed_date`` as the bot
uses it (hand-written first, dateparser as fallback), dateparser alone, and feedparser's
own date handling. Cases are the forms Indonesian feeds use, each with the instant it
denotes, plus every pubDate of the real feeds beside the project (when present), whose
reference is the standard library's RFC 822 reader. Run: ``.venv/bin/python
benchmarks/dates_bench.py``.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

import dateparser
import feedparser

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from summarizer.lang.dates import JAKARTA, parse_feed_date

SHARED_FEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "feeds"
# Enough repetitions for stable per-date figures without a long run.
TIMING_ROUNDS = 5
WIB = timezone(timedelta(hours=7))

CASES: list[tuple[str, datetime]] = [
    ("Jumat, 20 Apr 2018 15:17:00 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("Sab, 21 Apr 2018 08:00:00 +0700", datetime(2018, 4, 21, 8, 0, tzinfo=WIB)),
    ("Min, 22 Apr 2018 08:00 WITA", datetime(2018, 4, 22, 0, 0, tzinfo=UTC)),
    ("Kamis, 3 Mei 2018 10:02 WIT", datetime(2018, 5, 3, 1, 2, tzinfo=UTC)),
    ("Jum, 17 Agustus 2018 10:00:00 WIB", datetime(2018, 8, 17, 10, 0, tzinfo=WIB)),
    ("Sel, 21 Agu 2018 10:00:00 WIB", datetime(2018, 8, 21, 10, 0, tzinfo=WIB)),
    ("Senin, 1 Okt 2018 10:00 WIB", datetime(2018, 10, 1, 10, 0, tzinfo=WIB)),
    ("Rabu, 5 Des 2018 10:00 WIB", datetime(2018, 12, 5, 10, 0, tzinfo=WIB)),
    ("25 Desember 2018 23:59:59 WIB", datetime(2018, 12, 25, 23, 59, 59, tzinfo=WIB)),
    ("Fri, 20 Apr 2018 15:17:00 +0700", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("Fri, 20 Apr 2018 08:17:00 GMT", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
    ("Fri, 20 Apr 2018 15:17:00 GMT+7", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("Fri, 20 Apr 2018 15:17:00 GMT+07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("Senin, 23 April 2018 | 10:15 WIB", datetime(2018, 4, 23, 10, 15, tzinfo=WIB)),
    ("20/04/2018 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("2018-04-20T15:17:00+07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
    ("2018-04-20T08:17:00Z", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
    ("2018-04-20 15:17:00", datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)),
    ("April 20, 2018 3:17 PM", datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)),
]

Parser = Callable[[str], datetime | None]


def _dateparser(raw: str) -> datetime | None:
    value = dateparser.parse(raw, languages=["id", "en"], settings={"DATE_ORDER": "DMY"})
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=JAKARTA)
    return value


def _feedparser(raw: str) -> datetime | None:
    parsed = feedparser.datetimes._parse_date(raw)
    if parsed is None:
        return None
    return datetime(*parsed[:6], tzinfo=UTC)  # type: ignore[misc]


PARSERS: dict[str, Parser] = {
    "summarizer.lang.dates hand-written only": lambda raw: parse_feed_date(raw, fallback=False),
    "parse_feed_date (with fallback)": parse_feed_date,
    "dateparser": _dateparser,
    "feedparser": _feedparser,
}


def real_cases() -> list[tuple[str, datetime]]:
    """Every pubDate of the real feeds, with the stdlib RFC 822 reading as reference."""
    cases = []
    for path in sorted(SHARED_FEEDS.glob("*.xml")):
        for raw in re.findall(r"<pubDate>([^<]+)</pubDate>", path.read_text("utf-8")):
            cases.append((raw.strip(), parsedate_to_datetime(raw.strip())))
    return cases


def score(parser: Parser, cases: list[tuple[str, datetime]]) -> tuple[int, int, int, float]:
    """(right, wrong, unparsed, microseconds per date) of one parser on the cases."""
    right = wrong = missing = 0
    for raw, expected in cases:
        got = parser(raw)
        if got is None:
            missing += 1
        elif got == expected:
            right += 1
        else:
            wrong += 1
    started = time.perf_counter()
    for _ in range(TIMING_ROUNDS):
        for raw, _expected in cases:
            parser(raw)
    per_date = (time.perf_counter() - started) / (TIMING_ROUNDS * len(cases)) * 1e6
    return right, wrong, missing, per_date


def main() -> None:
    """Print one table for the Indonesian forms and one for the real feeds."""
    _dateparser("Jumat, 20 Apr 2018 15:17:00 WIB")  # dateparser loads its languages once
    tables = [("Indonesian feed date forms", CASES), ("pubDates of the real feeds", real_cases())]
    for title, cases in tables:
        if not cases:
            print(f"\n{title}: none found (shared data is absent)")
            continue
        print(f"\n{title} ({len(cases)} dates)")
        print(f"{'parser':<34} {'right':>6} {'wrong':>6} {'none':>6} {'us/date':>9}")
        for name, parser in PARSERS.items():
            right, wrong, missing, per_date = score(parser, cases)
            print(f"{name:<34} {right:>6} {wrong:>6} {missing:>6} {per_date:>9.1f}")


if __name__ == "__main__":
    main()
