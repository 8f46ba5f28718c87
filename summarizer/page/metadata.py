"""Choosing a page's author and publication time between its sources, in one place.

A page names its writer and time in several places that disagree: JSON-LD and meta tags
written for machines, the byline and date line printed for readers, and the guesses of
trafilatura and htmldate. Each choice below states its reason, so a wrong answer on a new
outlet can be traced to one rule. (The feed's date against the page's is chosen where
ingestion combines them, in the bot.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo

from summarizer.lang.dates import find_date
from summarizer.page.bylines import Credit, clean_author, is_organisation
from summarizer.page.paragraphs import letters

logger = logging.getLogger(__name__)

MIN_SITE_LETTERS = 4  # a site name shorter than this ("tv", "id") says nothing inside a name


@dataclass(frozen=True)
class Dated:
    """A publication time and whether its source wrote the time of day."""

    value: datetime
    has_time: bool
    source: str


def first_date(values: Iterable[object], source: str, default_tz: tzinfo) -> Dated | None:
    """The first parsable date among metadata values, noting whether it carries a time."""
    for value in values:
        if not isinstance(value, str):
            continue
        found = find_date(value, default_tz)
        if found is None:
            continue
        # "2015-06-16T00:00:00+07:00" is how CMSs write a date without a time.
        has_time = found.has_time and found.value.timetz().replace(tzinfo=None) != time(0, 0)
        return Dated(found.value, has_time, source)
    return None


def choose_published(structured: Dated | None, visible: Dated | None) -> Dated | None:
    """Pick the publication time from metadata and the page's printed date line.

    Metadata with a time of day wins: it is written for machines and carries the offset.
    Metadata with only the day (or midnight) loses to the printed date line when that line
    gives a time on the same day (its own, or the UTC day some CMSs write), since outlets print "Selasa 16 Jun 2015, 14:05 WIB" beside
    the headline while their metadata keeps the day. A printed time on another day is
    distrusted (it may belong to a related article), unless the other day is only htmldate's guess
    (no metadata gave a date). A date without a time stays date-only.
    Metadata whose clock reads the printed time under another offset loses too: Merdeka writes
    its WIB times as "…T11:38:29-07:00", fourteen hours off, and readers see "11:38".
    """
    if structured is not None and structured.has_time:
        if _offset_slip(structured, visible):
            logger.debug("metadata %s has the printed time under another offset", structured.value)
            return visible
        return structured
    if visible is not None and visible.has_time:
        # The day may be written in UTC: "11 Februari 2016 06:58 WIB" is the 10th in UTC.
        days = {visible.value.date(), visible.value.astimezone(UTC).date()}
        # htmldate's guess from the page (a "today" stamp, a copyright line) is no metadata.
        if structured is None or structured.source == "htmldate" or structured.value.date() in days:
            return visible
        logger.debug("printed date %s disagrees with metadata %s", visible.value, structured.value)
    return structured or visible


def _offset_slip(structured: Dated, visible: Dated | None) -> bool:
    """Whether metadata shows the printed wall-clock time, to the minute, under another offset."""
    if visible is None or not visible.has_time:
        return False
    meta, printed = structured.value, visible.value
    same_clock = meta.replace(tzinfo=None, second=0, microsecond=0) == printed.replace(
        tzinfo=None, second=0, microsecond=0
    )
    return same_clock and meta.utcoffset() != printed.utcoffset()


def _part_of(name: str, outlets: list[str]) -> bool:
    """Whether a name is a piece of an outlet's name the page also gives."""
    return any(name.casefold() in outlet for outlet in outlets)


def _names_the_site(name: str, sites: Iterable[str]) -> bool:
    """Whether a name holds the site's own name ("Metrotvnews Developer", "Www Akurat Co",
    "Zona Jakarta" on zonajakarta.pikiran-rakyat.com): an account of the outlet, not a writer."""
    folded = letters(name)
    return any(len(site) >= MIN_SITE_LETTERS and site in folded for site in map(letters, sites))


def choose_author(
    credits: Iterable[Credit],
    structured: Iterable[object],
    printed: str | None,
    sites: Iterable[str] = (),
    headline: str | None = None,
) -> str | None:
    """Pick the writer(s) from the printed credits, metadata author fields and bare bylines.

    A writer the page labels in print ("Penulis: X", "Pewarta: X", "X, Jurnalis") wins: metadata
    author fields often hold the publisher ("Kompas Cyber Media") or, on Antara, the editor.
    Metadata names come next, minus organisations, pieces of them, names holding the site's own
    name (``sites``: og:site_name and the host), and anyone the page labels as editor or
    photographer. A bare name printed beside the date comes after, being only a guess (kept even where the page
    also prints that name as editor: on Zona Jakarta the writer edits their own piece; never the
    ``headline`` itself, which Radar Kaltim prints beside its date). On a
    photo or video page the only credit is the photographer's ("Fotografer: X"): with no
    writer anywhere, the maker of the pictures is the page's author.
    """
    credits = list(credits)
    writers = list(dict.fromkeys(credit.name for credit in credits if credit.role == "writer"))
    if writers:
        return ", ".join(writers)
    others = {credit.name.casefold() for credit in credits if credit.role != "writer"}
    texts = [value for value in structured if isinstance(value, str)]
    # trafilatura trims an outlet to a name-like word ("Liputan6.com" -> "Liputan").
    outlets = [value.casefold() for value in texts if is_organisation(value)]
    sites = list(sites)
    for value in texts:
        name = clean_author(value)
        if name and name.casefold() not in others and not _part_of(name, outlets) and not _names_the_site(value, sites):
            return name
    if printed and not _names_the_site(printed, sites) and letters(printed) != letters(headline or ""):
        return printed
    makers = list(dict.fromkeys(credit.name for credit in credits if credit.role == "photo"))
    return ", ".join(makers) or None
