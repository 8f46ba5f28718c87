"""Who owns the outlets: Indonesian media groups by host, read once from ``data/media_groups.csv``.

One row per outlet: its name, its hosts (registrable domains), its group and a source naming the
ownership. A host is found through its registrable parent: ``news.detik.com`` and
``finance.detik.com`` belong to ``detik.com``'s group. A row that cannot be read is skipped with a
log line saying why; the file's own test keeps the shipped rows clean.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)

DATA_FILE = Path(__file__).resolve().parent / "data" / "media_groups.csv"
COLUMNS = ("outlet", "hosts", "group", "source")


@dataclass(frozen=True)
class Outlet:
    """One outlet: its name, hosts, owning group and the source that says so."""

    name: str
    hosts: tuple[str, ...]
    group: str
    source: str


@dataclass(frozen=True)
class MediaGroups:
    """Every outlet of the file, and the group of each host."""

    outlets: tuple[Outlet, ...]
    by_host: dict[str, Outlet]

    def outlet_of_host(self, host: str) -> Outlet | None:
        """The outlet a host belongs to, itself or through a parent domain; None when unknown."""
        labels = host.lower().strip(".").split(":")[0].split(".")
        for start in range(len(labels) - 1):  # never a bare top-level label
            found = self.by_host.get(".".join(labels[start:]))
            if found is not None:
                return found
        return None

    def group_of_url(self, url: str) -> str | None:
        """The group owning the outlet of a link, or None for an unknown or unreadable link."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return None
        outlet = self.outlet_of_host(host) if host else None
        return outlet.group if outlet else None

    def groups(self) -> list[str]:
        """Every group's name, in the file's order."""
        return list(dict.fromkeys(o.group for o in self.outlets))


def _row(fields: Sequence[str], line: int, seen: set[str]) -> Outlet | None:
    """One outlet from a row, or None (logged) when the row cannot be used."""
    if len(fields) != len(COLUMNS):
        logger.warning("media groups line %d skipped: %d columns, expected %d", line, len(fields), len(COLUMNS))
        return None
    name, hosts_text, group, source = (f.strip() for f in fields)
    hosts = tuple(h.lower().removeprefix("www.") for h in hosts_text.split())
    if not name or not group or not hosts:
        logger.warning("media groups line %d skipped: empty outlet, hosts or group", line)
        return None
    if not source.startswith("https://"):
        logger.warning("media groups line %d skipped: source %r is not an https URL", line, source[:80])
        return None
    if bad := [h for h in hosts if "." not in h or "/" in h]:
        logger.warning("media groups line %d skipped: %s is not a host name", line, bad[0][:80])
        return None
    if taken := [h for h in hosts if h in seen]:
        logger.warning("media groups line %d skipped: host %s is already listed", line, taken[0])
        return None
    seen.update(hosts)
    return Outlet(name, hosts, group, source)


def _fields(text: str, line: int) -> list[str]:
    """The comma-separated fields of one line (quoted as in CSV); none for a line CSV cannot read."""
    try:
        return next(csv.reader([text]), [])
    except csv.Error as exc:
        logger.warning("media groups line %d skipped: %s", line, exc)
        return []


def parse_groups(lines: Iterable[str]) -> MediaGroups:
    """Outlets from CSV lines (``#`` lines are comments; the first other line is the header)."""
    numbered = [(n, text) for n, text in enumerate(lines, 1) if text.strip() and not text.lstrip().startswith("#")]
    if numbered and tuple(f.strip() for f in _fields(numbered[0][1], numbered[0][0])) == COLUMNS:
        numbered = numbered[1:]
    seen: set[str] = set()
    outlets = []
    for line, text in numbered:
        fields = _fields(text, line)
        outlet = _row(fields, line, seen) if fields else None  # an unreadable line was logged already
        if outlet is not None:
            outlets.append(outlet)
    return MediaGroups(tuple(outlets), {host: o for o in outlets for host in o.hosts})


@cache
def media_groups() -> MediaGroups:
    """The shipped file, read once per process; an unreadable file means no groups (logged)."""
    try:
        text = DATA_FILE.read_text(encoding="utf-8")
    except OSError as exc:
        logger.error("media groups not loaded from %s: %s", DATA_FILE, exc)
        return MediaGroups((), {})
    return parse_groups(text.splitlines())
