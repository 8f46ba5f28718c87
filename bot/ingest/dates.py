"""Dates as Indonesian feeds write them, parsed into timezone-aware datetimes.

feedparser reads "WIB" as UTC (seven hours off) and gives up on Indonesian day and month
names ("Jumat, 20 Agu 2018 15:17 WIB"), so feed dates are parsed here from the raw string.
A hand-written parser covers RFC 822 with English or Indonesian names, numeric
day-first dates and ISO 8601, with the zones feeds actually use (WIB, WITA, WIT,
"GMT+7", "+0700", "Z"); anything else falls back to dateparser, which is about a hundred
times slower (see ``benchmarks/dates_bench.py``). A date without an offset is read in
``default_tz``. Offsets are taken as given, even when an outlet's are known to be wrong
(Tempo's 2017 feed writes WIB times with "+0100").
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")

# Longer strings are page text, not a date; also keeps dateparser's cost bounded.
MAX_DATE_LENGTH = 80
# Real offsets lie within UTC-12..UTC+14; anything beyond is a typo.
MAX_OFFSET = timedelta(hours=14)

# Indonesian full and short names, old spellings (Pebruari, Nopember) and English.
_MONTHS: dict[str, int] = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "peb", "februari", "pebruari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("agu", "agt", "ags", "agust", "agustus", "aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oct", "oktober", "october"), 10),
    **dict.fromkeys(("nov", "nop", "november", "nopember"), 11),
    **dict.fromkeys(("des", "dec", "desember", "december"), 12),
}

# Indonesian zones plus the RFC 822 names; CST etc. are the US zones as RFC 822 says.
_ZONE_MINUTES: dict[str, int] = {
    "wib": 420, "wita": 480, "wit": 540,
    "utc": 0, "gmt": 0, "ut": 0, "z": 0,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300,
    "mst": -420, "mdt": -360, "pst": -480, "pdt": -420,
}  # fmt: skip

_TIME = r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:[.,]\d+)?)?"
_ZONE = r"(?P<zone>[a-z]{1,4}(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}(?::?\d{2})?)"
_TAIL = rf"(?:[\s,|T-]+(?:(?:pukul|jam|at)\s+)?{_TIME})?\s*{_ZONE}?\s*$"
_DAY_NAME = r"(?:[^\W\d_]+(?:'[^\W\d_]+)?\.?\s*,?\s*)?"

_TEXTUAL = re.compile(
    rf"^{_DAY_NAME}(?P<day>\d{{1,2}})[\s/-]+(?P<month>[^\W\d_]+)\.?[\s/,-]+(?P<year>\d{{4}}|\d{{2}}){_TAIL}",
    re.IGNORECASE,
)
_NUMERIC = re.compile(
    rf"^{_DAY_NAME}(?P<day>\d{{1,2}})[/.-](?P<month>\d{{1,2}})[/.-](?P<year>\d{{4}}){_TAIL}",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"^(?P<body>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?)\s*(?P<zone>.*)$",
    re.IGNORECASE,
)
_ZONE_PARTS = re.compile(
    r"^(?P<name>[a-z]+)?\s*(?:(?P<sign>[+-])\s*(?P<hh>\d{1,2})(?::?(?P<mm>\d{2}))?)?$",
    re.IGNORECASE,
)
_COMMENT = re.compile(r"\s*\([^)]*\)\s*$")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


class _BadZone(ValueError):
    """The zone text is not one this parser knows."""


def parse_feed_date(
    raw: str, *, default_tz: tzinfo = JAKARTA, fallback: bool = True
) -> datetime | None:
    """Parse a feed date string into an aware datetime, or None when it is not a date."""
    text = _COMMENT.sub("", raw.strip())
    if not text or len(text) > MAX_DATE_LENGTH:
        return None
    try:
        parsed = _parse_known(text, default_tz)
    except (_BadZone, ValueError, OverflowError):
        parsed = None
    # An ISO date that failed ("2018-13-01") is wrong, not another form to guess at.
    if parsed is None and fallback and not _ISO.match(text):
        parsed = _parse_with_dateparser(text, default_tz)
    return parsed


def _parse_known(text: str, default_tz: tzinfo) -> datetime | None:
    iso = _ISO.match(text)
    if iso:
        value = datetime.fromisoformat(iso["body"].replace(",", "."))
        zone = _zone(iso["zone"]) if iso["zone"] else None
        if value.tzinfo is not None:
            return value
        return value.replace(tzinfo=zone or default_tz)
    match = _TEXTUAL.match(text) or _NUMERIC.match(text)
    if match is None:
        return None
    month_text = match["month"].lower()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text)
    if month is None:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:
        # RFC 2822's rule for two-digit years.
        year += 2000 if year < 70 else 1900
    zone = _zone(match["zone"]) if match["zone"] else None
    return datetime(
        year,
        month,
        int(match["day"]),
        int(match["hour"] or 0),
        int(match["minute"] or 0),
        int(match["second"] or 0),
        tzinfo=zone or default_tz,
    )


def _zone(text: str) -> tzinfo:
    parts = _ZONE_PARTS.match(text.strip())
    if parts is None or not (parts["name"] or parts["sign"]):
        raise _BadZone(text)
    minutes = 0
    if parts["name"]:
        name = parts["name"].lower()
        if name not in _ZONE_MINUTES:
            raise _BadZone(text)
        minutes = _ZONE_MINUTES[name]
    if parts["sign"]:
        # "+7" and "+07" are hours, "+0700" and "+07:00" hours and minutes.
        extra = int(parts["mm"] or 0)
        if extra >= 60:
            raise _BadZone(text)
        delta = int(parts["hh"]) * 60 + extra
        minutes += delta if parts["sign"] == "+" else -delta
    offset = timedelta(minutes=minutes)
    if abs(offset) > MAX_OFFSET:
        raise _BadZone(text)
    return timezone(offset)


def _parse_with_dateparser(text: str, default_tz: tzinfo) -> datetime | None:
    # Without a year dateparser happily reads "2 jam yang lalu" relative to now.
    if not _YEAR.search(text):
        return None
    import dateparser  # slow to import; most feeds never need it

    try:
        value = dateparser.parse(
            text,
            languages=["id", "en"],
            settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True},
        )
    except Exception as exc:  # dateparser raises assorted errors on junk
        logger.debug("dateparser failed on %r: %s", text, exc)
        return None
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=default_tz)
    return value
