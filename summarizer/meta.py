"""Publication times and author names as Indonesian news pages write them.

Dates come as "Jumat, 20 Apr 2018 15:17 WIB", "20/04/2018, 15:17 WIB", "Senin, 27 Mar 2017 |
09:05 WIB", "2018-04-20 15:17" or ISO 8601, with WIB, WITA and WIT for UTC+7, +8 and +9.
They are read with regular expressions rather than dateparser: on the 19 formats in the
tests the regexes get all right and dateparser 17 (it gives up on "Kompas.com - 20/04/2018,
15:17 WIB" and "Jum'at 20 April 2018"), and dateparser also turns a lone "Senin", "Kemarin"
or "Jumat (20/4)" into a date relative to today, while here a line must first be recognised
as a date line. Bylines come as "Penulis: X", "Reporter: X | Editor: Y", "Oleh X",
"X - detikNews", "Laporan Wartawan Tribunnews.com, X" or a bare name beside the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from summarizer.boilerplate import is_site

JAKARTA = ZoneInfo("Asia/Jakarta")

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
# Indonesian time zones by their abbreviation, in hours east of UTC.
ZONE_HOURS: dict[str, int] = {"wib": 7, "wita": 8, "wit": 9}
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100

_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<y>(?:19|20)\d{2})"
_DAY = r"(?P<d>[0-3]?\d)"
_WEEKDAY = r"(?:(?:senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s*)?"
_ZONE = r"(?P<tz>wita|wib|wit|utc|gmt\s*[+-]\s*\d{1,2}(?::?\d{2})?|z|[+-]\d{2}:?\d{2})"
_CLOCK = r"(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?:\.\d+)?"
_TIME = rf"(?:(?:t|\s*[,|•·/-]?\s*(?:(?:pukul|jam)\s*)?){_CLOCK}(?:\s*{_ZONE}\b)?)?"
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
_UPDATED = re.compile(
    r"\b(?:diperbarui|diupdate|update[d]?|pembaruan|terakhir\s+diubah)\b", re.IGNORECASE
)

AUTHOR_LABEL = re.compile(
    r"^(?:penulis|reporter|rep|wartawan|kontributor|pewarta|ditulis\s+oleh|oleh|by|author|writer)"
    r"(?:\s*:\s*|\s+)(?P<name>.+)$",
    re.IGNORECASE,
)
# Tribun's "Laporan Wartawan Tribunnews.com, Gita Irawan".
_REPORTED_BY = re.compile(
    r"^laporan\s+(?:wartawan|reporter|koresponden)\s+[^,]{1,60},\s*(?P<name>.+)$", re.IGNORECASE
)
_EDITOR_LABEL = re.compile(r"^(?:editor|penyunting|redaktur)\s*:", re.IGNORECASE)
# " | ", " - ", " · " between byline parts, and Republika's "Rep: X/ Red: Y".
_PART_SEPARATOR = re.compile(
    r"\s+[|•·/–—-]{1,2}\s+|\s*[|•·]\s*|\s*/\s*(?=(?:red|editor)\s*:)", re.IGNORECASE
)
# Okezone's "Irene Harty, Jurnalis": a name followed by the writer's role.
_NAME_WITH_ROLE = re.compile(
    r"^(?P<name>[^,]+),\s*(?:jurnalis|wartawan|reporter|kontributor)\b.*$", re.IGNORECASE
)
# What follows a name in a byline: "pada <date>", " | Editor: Y", ", Jurnalis".
_NAME_CUT = re.compile(
    r"\s+(?:pada|on|di|dari|-)\s+.*$|\s*[|•·].*$|\s*[,;]\s*(?:jurnalis|wartawan|reporter)\b.*$",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.?|bin|binti|van|der|de|al|el|dan|&)$")
_TITLE_SEPARATOR = re.compile(r"\s+[|–—-]\s+")
MAX_NAME_WORDS = 8
MAX_NAME_CHARS = 80
MAX_BARE_NAME_WORDS = 4


@dataclass(frozen=True)
class FoundDate:
    """A date found in a text, with where it was."""

    value: datetime
    start: int
    end: int


def _zone(label: str | None, default_tz: tzinfo) -> tzinfo:
    if not label:
        return default_tz
    label = label.lower().replace(" ", "")
    if label in ZONE_HOURS:
        return timezone(timedelta(hours=ZONE_HOURS[label]), label.upper())
    if label in ("z", "utc"):
        return UTC
    sign = -1 if "-" in label else 1
    digits = re.sub(r"\D", "", label)
    hours, minutes = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


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
            tzinfo=_zone(zone, default_tz),
        )  # fmt: skip
    except ValueError:
        return None
    return FoundDate(value, match.start(), match.end())


def parse_date(text: str, default_tz: tzinfo = JAKARTA) -> datetime | None:
    """Parse the first date in a text into a timezone-aware datetime, or None."""
    found = find_date(text, default_tz)
    return found.value if found else None


def is_update_line(line: str) -> bool:
    """Whether a date line gives the last update rather than the publication time."""
    return bool(_UPDATED.search(line))


def is_name(text: str, *, bare: bool = False) -> bool:
    """Whether text looks like a person's name (or a few, joined by commas or "dan")."""
    text = text.strip()
    if not text or len(text) > MAX_NAME_CHARS or any(ch.isdigit() for ch in text) or is_site(text):
        return False
    if text[-1] in '!?:;"”':
        return False
    words = text.replace(",", " ").split()
    limit = MAX_BARE_NAME_WORDS if bare else MAX_NAME_WORDS
    if not words or len(words) > limit or (bare and len(words) < 2):
        return False
    if text.isupper() and bare:
        return False  # capitalised section labels ("HEADLINE") are not bylines
    return all(_NAME_WORD.match(word) for word in words)


def _clean_name(name: str) -> str:
    return _NAME_CUT.sub("", name).strip(" ,;:-–—")


def author_from_line(line: str) -> str | None:
    """The author named in a byline ("Penulis: X | Editor: Y", "X - detikNews"), or None."""
    if len(line) > MAX_NAME_CHARS * 2:
        return None
    reported = _REPORTED_BY.match(line)
    if reported and is_name(_clean_name(reported["name"])):
        return _clean_name(reported["name"])
    parts = [part.strip() for part in _PART_SEPARATOR.split(line) if part.strip()]
    for part in parts:
        labelled = AUTHOR_LABEL.match(part)
        if labelled:
            name = _clean_name(labelled["name"])
            return name if is_name(name) else None
    for part in parts:
        with_role = _NAME_WITH_ROLE.match(part)
        if with_role and is_name(with_role["name"], bare=True):
            return with_role["name"].strip()
    # "Irene Harty - detikNews" or "Kompas.com - Irene Harty": a name beside an outlet.
    if len(parts) >= 2 and any(is_site(part) for part in parts):
        for part in parts:
            if not is_site(part) and not _EDITOR_LABEL.match(part) and is_name(part, bare=True):
                return part
    return None


def strip_site_suffix(title: str) -> str:
    """Drop an outlet's name from the end or start of a title ("X - Kompas.com")."""
    while True:
        separators = list(_TITLE_SEPARATOR.finditer(title))
        if not separators:
            return title
        last, first = separators[-1], separators[0]
        if is_site(title[last.end() :]):
            title = title[: last.start()].rstrip()
        elif is_site(title[: first.start()]):
            title = title[first.end() :].lstrip()
        else:
            return title
