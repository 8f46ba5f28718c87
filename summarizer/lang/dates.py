"""Dates and times as Indonesian news pages and feeds write them: the one parser of both.

``find_date`` finds a date inside page text; ``parse_feed_date`` reads a feed's date field,
which must be a date and nothing else. feedparser reads "WIB" as UTC (seven hours off) and
gives up on Indonesian day and month names, so feed dates are read here from the raw string:
RFC 822 with English or Indonesian names (two-digit years too), numeric day-first dates and
ISO 8601, with WIB/WITA/WIT, "GMT+7", "+0700", "Z" and the RFC 822 zone names; anything else
falls back to dateparser, about a hundred times slower (``benchmarks/dates_bench.py``).
Offsets are taken as given, even when an outlet's are known to be wrong (Tempo's 2017 feed
writes WIB times with "+0100").

Dates come as "Jumat, 20 Apr 2018 15:17 WIB", "20/04/2018, 15:17 WIB", "Rabu, 17 Juni 2015 |
22:26 WIB", "Kamis, 05 November 2015 11:52" (no zone: an Indonesian outlet means WIB),
"2018-04-20 15:17" or ISO 8601, with WIB, WITA and WIT (data/time_words.txt) for UTC+7, +8
and +9. They are read with regular expressions rather than dateparser: dateparser gives up on
"Kompas.com - 20/04/2018, 15:17 WIB" and "Jum'at 20 April 2018" and turns a lone "Senin" or
"Kemarin" into a date relative to today, while here a line must first be recognised as a
date line. A date written without a time is reported as such (``FoundDate.has_time``), so
callers never mistake the midnight it is stored at for a real time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from summarizer.lang.langdata import read_entries

logger = logging.getLogger(__name__)

JAKARTA = ZoneInfo("Asia/Jakarta")
# Longer strings are page text, not a feed's date field; also bounds dateparser's cost.
MAX_FEED_DATE_CHARS = 80
# Real offsets lie within UTC-12..UTC+14; anything beyond is a typo.
MAX_OFFSET = timedelta(hours=14)

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agust": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jum'?at", "sabtu", "minggu", "ahad",
            "sen", "sel", "rab", "kam", "jum", "sab", "min",
            "mon", "tue", "wed", "thu", "fri", "sat", "sun")  # fmt: skip


def _time_words(kind: str) -> list[list[str]]:
    """The entries of one kind (zone, update, ...) from data/time_words.txt, as word lists."""
    return [entry.split()[1:] for entry in read_entries("time_words.txt") if entry.split()[0] == kind]


# Indonesian time zones by their abbreviation, in hours east of UTC.
ZONE_HOURS: dict[str, int] = {name.lower(): int(hours) for name, hours in _time_words("zone")}
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DAY = r"(?P<d>[0-3]?\d)"
_WEEKDAY = rf"(?:(?:{'|'.join(WEEKDAYS)})[a-z]*\.?,?\s*)?"
_ZONES = "|".join(sorted(ZONE_HOURS, key=len, reverse=True))
_ZONE = rf"(?P<tz>(?:gmt|utc)\s*[+-]\s*\d{{1,2}}(?::?\d{{2}})?|{_ZONES}|z|[+-]\d{{2}}:?\d{{2}})"
_CLOCK = r"(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?:\.\d+)?"
_TIME = rf"(?:(?:t|\s*[,|•·/-]?\s*(?:(?:pukul|jam|at|pada)\s*)?){_CLOCK}(?:\s*{_ZONE}\b)?)?"
_DATE_FORMS = (
    rf"{_YEAR}[-/](?P<m>[01]?\d)[-/]{_DAY}",
    rf"{_DAY}[/.-](?P<m>[01]?\d)[/.-]{_YEAR}",
    rf"{_DAY}(?:\s+|-|\s*/\s*){_MONTH}(?:\s+|-|,\s*){_YEAR}",
    rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}",
)
_DATE_RES = tuple(
    # The lookahead lets ISO's "T" through but not a longer number or word.
    re.compile(rf"(?<![\w/.-]){_WEEKDAY}{form}(?![/\d])(?![^\W\d_t]){_TIME}", re.IGNORECASE)
    for form in _DATE_FORMS
)
_LONE_TIME = re.compile(rf"(?<![\w:.]){_CLOCK}(?:\s*{_ZONE}\b)?(?![\w:])", re.IGNORECASE)
_UPDATED = re.compile(r"\b(?:" + "|".join(words[0] for words in _time_words("updated")) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text, with where it was and whether a time of day was written."""

    value: datetime
    start: int
    end: int
    has_time: bool = True


def zone_of(label: str | None, default_tz: tzinfo = JAKARTA) -> tzinfo:
    """The tzinfo for a zone label ("WIB", "GMT+7", "+0700", "Z"); default_tz when empty."""
    if not label:
        return default_tz
    label = label.lower().replace(" ", "")
    if label in ZONE_HOURS:
        return timezone(timedelta(hours=ZONE_HOURS[label]), label.upper())
    if label in ("z", "utc", "gmt"):
        return UTC
    sign = -1 if "-" in label else 1
    digits = re.sub(r"\D", "", label)
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    offset = sign * timedelta(hours=hours, minutes=minutes)
    if minutes >= 60 or abs(offset) > MAX_OFFSET:
        raise ValueError(f"no such offset: {label!r}")
    return timezone(offset)


def find_date(text: str, default_tz: tzinfo = JAKARTA) -> FoundDate | None:
    """Find the first valid date (and time, if written) in a text; naive times get default_tz."""
    best: FoundDate | None = None
    for regex in _DATE_RES:
        for match in regex.finditer(text):
            if best is not None and match.start() >= best.start:
                break
            found = _build(match, text, default_tz)
            if found is not None:
                best = found
                break
    return best


def _build(match: re.Match[str], text: str, default_tz: tzinfo) -> FoundDate | None:
    """The date a pattern match describes, with whether a time was written; None when it is not a real date."""
    parts = match.groupdict()
    month = MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
    hour, minute, second, zone = parts["H"], parts["M"], parts["S"], parts["tz"]
    if hour is None:
        # Some bylines put the time away from the date: "15:17 WIB | 20/04/2018".
        rest = text[: match.start()] + " " * (match.end() - match.start()) + text[match.end() :]
        lone = _LONE_TIME.search(rest)
        if lone:
            hour, minute, second, zone = lone["H"], lone["M"], lone["S"], lone["tz"]
    year = int(parts["y"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        value = datetime(
            year, month, int(parts["d"]), int(hour or 0), int(minute or 0), int(second or 0),
            tzinfo=zone_of(zone, default_tz),
        )  # fmt: skip
    except ValueError:
        return None
    return FoundDate(value, match.start(), match.end(), has_time=hour is not None)


def parse_date(text: str, default_tz: tzinfo = JAKARTA) -> datetime | None:
    """Parse the first date in a text into a timezone-aware datetime, or None."""
    found = find_date(text, default_tz)
    return found.value if found else None


def is_update_line(line: str) -> bool:
    """Whether a date line gives the last update rather than the publication time."""
    return bool(_UPDATED.search(line))


_COMMENT = re.compile(r"\s*\([^)]*\)\s*$")
_ISO = re.compile(
    r"^(?P<body>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?)\s*(?P<zone>.*)$",
    re.IGNORECASE,
)
# RFC 822's two-digit year: "Fri, 20 Apr 18 15:17:00 +0700".
_SHORT_YEAR = re.compile(r"^(?P<head>[^\d]*\d{1,2}\s+[^\W\d_]+\.?\s+)(?P<yy>\d{2})(?=\s|$)")
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def parse_feed_date(raw: str, *, default_tz: tzinfo = JAKARTA, fallback: bool = True) -> datetime | None:
    """Parse a feed's date field into an aware datetime, or None when it is not a date."""
    # Checked before the comment is cut: that pattern rescans to the end from every "(", so a
    # long field full of them took minutes (found by tests/summarizer/lang/test_dates_properties.py).
    if len(raw) > 4 * MAX_FEED_DATE_CHARS:
        return None
    text = _COMMENT.sub("", raw.strip())
    if not text or len(text) > MAX_FEED_DATE_CHARS:
        return None
    try:
        parsed = _parse_whole(text, default_tz)
    except (ValueError, OverflowError):
        parsed = None
    # An ISO date that failed ("2018-13-01") is wrong, not another form to guess at.
    if parsed is None and fallback and not _ISO.match(text):
        parsed = _parse_with_dateparser(text, default_tz)
    return parsed


def _parse_whole(text: str, default_tz: tzinfo) -> datetime | None:
    """A whole string read as ISO 8601 or by the hand-written grammar; None if neither reads it."""
    iso = _ISO.match(text)
    if iso:
        value = datetime.fromisoformat(iso["body"].replace(",", "."))
        if value.tzinfo is not None:
            return value
        return value.replace(tzinfo=zone_of(iso["zone"] or None, default_tz))
    short = _SHORT_YEAR.match(text)
    if short:
        # RFC 2822's rule for two-digit years.
        year = int(short["yy"]) + (2000 if int(short["yy"]) < 70 else 1900)
        text = f"{short['head']}{year}{text[short.end() :]}"
    for regex in _DATE_RES:
        match = regex.fullmatch(text)
        if match:
            found = _build(match, text, default_tz)
            return found.value if found else None
    return None


def _parse_with_dateparser(text: str, default_tz: tzinfo) -> datetime | None:
    # Without a year dateparser happily reads "2 jam yang lalu" relative to now.
    """dateparser's reading of a string that names a year, in default_tz; None otherwise."""
    if not _HAS_YEAR.search(text):
        return None
    import dateparser  # slow to import; most feeds never need it

    try:
        value = dateparser.parse(text, languages=["id", "en"], settings={"DATE_ORDER": "DMY", "STRICT_PARSING": True})
    except Exception as exc:  # dateparser raises assorted errors on junk
        logger.debug("dateparser failed on %r: %s", text, exc)
        return None
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=default_tz)
