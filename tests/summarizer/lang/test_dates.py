"""Dates as Indonesian pages print them and feeds write them (summarizer/lang/dates.py).

One parser serves both: the page table (dates inside text) and the feed table (a whole date
field) below were merged from the former meta and bot date tests.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from summarizer.lang.dates import (
    JAKARTA,
    ZONE_HOURS,
    find_date,
    is_update_line,
    parse_date,
    parse_feed_date,
)
from summarizer.lang.langdata import read_entries

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
EDT = timezone(timedelta(hours=-4))


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("Selasa 16 Jun 2015, 14:05 WIB", datetime(2015, 6, 16, 14, 5, tzinfo=WIB), True),
        ("Rabu, 17 Juni 2015 | 22:26 WIB", datetime(2015, 6, 17, 22, 26, tzinfo=WIB), True),
        # No zone: an Indonesian outlet means WIB.
        ("Kamis, 05 November 2015 11:52", datetime(2015, 11, 5, 11, 52, tzinfo=WIB), True),
        (
            "Selasa, 23 Februari 2016 15:06 WIB | 998 Views",
            datetime(2016, 2, 23, 15, 6, tzinfo=WIB),
            True,
        ),
        ("Senin, 30 November 2015", datetime(2015, 11, 30, tzinfo=WIB), False),
        ("Diperbarui 20 Agust 2018, 09.15 WIB", datetime(2018, 8, 20, 9, 15, tzinfo=WIB), True),
    ],
)
def test_printed_dates_keep_their_time_or_say_they_have_none(text: str, expected: datetime, has_time: bool) -> None:
    found = find_date(text)
    assert found is not None and found.value == expected and found.has_time is has_time


@pytest.mark.parametrize(("zone", "hours"), [("WIB", 7), ("WITA", 8), ("WIT", 9)])
def test_every_zone_in_the_data_file_sets_its_offset(zone: str, hours: int) -> None:
    found = find_date(f"Jumat, 20 Apr 2018 15:17 {zone}")
    assert found is not None and found.value.utcoffset() == timedelta(hours=hours)
    assert ZONE_HOURS[zone.lower()] == hours


@pytest.mark.parametrize(
    "line",
    ["Diperbarui 20 Apr 2018, 16:00 WIB", "Diupdate: 20/04/2018 16:00", "Update: 20 Apr 2018",
     "Updated 20 Apr 2018", "Pembaruan terakhir 20 Apr 2018", "Terakhir diubah 20/04/2018",
     "Last modified 2018-04-20"],
)  # fmt: skip
def test_update_lines_are_told_from_publication_lines(line: str) -> None:
    assert is_update_line(line)
    assert not is_update_line("Jumat, 20 Apr 2018 15:17 WIB")


def test_every_update_word_has_a_case() -> None:
    words = [entry.split()[1] for entry in read_entries("time_words.txt") if entry.startswith("updated")]
    assert len(words) == 6


# Dates inside page text.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jumat, 20 Apr 2018 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("20 April 2018, 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("20/04/2018, 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Senin, 27 Mar 2017 | 09:05 WIB", datetime(2017, 3, 27, 9, 5, tzinfo=WIB)),
        ("2018-04-20 15:17", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("2018-04-20T15:17:00+07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("2018-04-20T08:17:00Z", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
        ("2018-04-20T15:17:00.000+0800", datetime(2018, 4, 20, 15, 17, tzinfo=WITA)),
        ("Kamis, 19 Apr 2018 10:00 WITA", datetime(2018, 4, 19, 10, 0, tzinfo=WITA)),
        ("Kamis, 19 Apr 2018 10:00 WIT", datetime(2018, 4, 19, 10, 0, tzinfo=WIT)),
        ("20/4/2018 15:17", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Kompas.com - 20/04/2018, 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Jum'at 20 April 2018 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Rabu, 2 Agustus 2017 - 09:05 WIB", datetime(2017, 8, 2, 9, 5, tzinfo=WIB)),
        ("Selasa, 12 Des 2017 pukul 07.30 WIT", datetime(2017, 12, 12, 7, 30, tzinfo=WIT)),
        ("15:17 WIB | 20/04/2018", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("2018/04/20 15:17:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("April 20, 2018 15:17 GMT+7", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("20 Nop 2017", datetime(2017, 11, 20, 0, 0, tzinfo=WIB)),
    ],
)
def test_parse_date_formats_and_zones(text: str, expected: datetime) -> None:
    parsed = parse_date(text)
    assert parsed == expected
    assert parsed is not None and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text", ["", "Senin", "Jumat (20/4)", "31/02/2018", "Pasal 27 ayat 3", "Rp 20.000", "1.234.567"]
)
def test_parse_date_rejects_non_dates(text: str) -> None:
    assert parse_date(text) is None


def test_parse_date_uses_the_given_zone_for_naive_times() -> None:
    parsed = parse_date("2018-04-20 15:17", ZoneInfo("Asia/Makassar"))
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=8)


# Feed date fields.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # RFC 822 with Indonesian day and month names and zone names
        ("Jumat, 20 Apr 2018 15:17:00 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Jum'at, 20 Apr 2018 15:17:00 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Sab, 21 Apr 2018 08:00:00 +0700", datetime(2018, 4, 21, 8, 0, tzinfo=WIB)),
        ("Min, 22 Apr 2018 08:00 WITA", datetime(2018, 4, 22, 8, 0, tzinfo=WITA)),
        ("Kamis, 3 Mei 2018 1:02 WIT", datetime(2018, 5, 3, 1, 2, tzinfo=WIT)),
        ("Jum, 17 Agustus 2018 10:00:00 WIB", datetime(2018, 8, 17, 10, 0, tzinfo=WIB)),
        ("Sel, 21 Agu 2018 10:00:00 WIB", datetime(2018, 8, 21, 10, 0, tzinfo=WIB)),
        ("Senin, 1 Okt 2018 10:00 WIB", datetime(2018, 10, 1, 10, 0, tzinfo=WIB)),
        ("Rabu, 5 Des 2018 10:00 WIB", datetime(2018, 12, 5, 10, 0, tzinfo=WIB)),
        ("25 Desember 2018 23:59:59 WIB", datetime(2018, 12, 25, 23, 59, 59, tzinfo=WIB)),
        ("5 Nopember 2018 07:00 WIB", datetime(2018, 11, 5, 7, 0, tzinfo=WIB)),
        # RFC 822 in English, other offsets and zone spellings
        ("Fri, 20 Apr 2018 15:17:00 +0700", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Fri, 20 Apr 2018 08:17:00 GMT", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
        ("Fri, 20 Apr 2018 08:17:00 UTC", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
        ("Fri, 20 Apr 2018 08:17:00 Z", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
        ("Fri, 20 Apr 2018 15:17:00 GMT+7", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Fri, 20 Apr 2018 15:17:00 GMT+07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Fri, 20 Apr 2018 15:17:00 +07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Fri, 20 Apr 2018 04:17:00 -0400", datetime(2018, 4, 20, 4, 17, tzinfo=EDT)),
        ("Fri, 20 Apr 2018 04:17:00 EDT", datetime(2018, 4, 20, 4, 17, tzinfo=EDT)),
        ("Fri, 20 Apr 18 15:17:00 +0700", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("Fri, 20 Apr 2018 15:17:00 +0700 (WIB)", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        # page-style and numeric day-first forms
        ("Senin, 23 April 2018 | 10:15 WIB", datetime(2018, 4, 23, 10, 15, tzinfo=WIB)),
        ("Senin, 23 April 2018 pukul 10.15 WIB", datetime(2018, 4, 23, 10, 15, tzinfo=WIB)),
        ("20/04/2018 15:17 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("20-04-2018 15:17", datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)),
        # ISO 8601
        ("2018-04-20T15:17:00+07:00", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        ("2018-04-20T08:17:00Z", datetime(2018, 4, 20, 8, 17, tzinfo=UTC)),
        ("2018-04-20T15:17:00.250+0700", datetime(2018, 4, 20, 15, 17, 0, 250000, tzinfo=WIB)),
        ("2018-04-20 15:17:00 WIB", datetime(2018, 4, 20, 15, 17, tzinfo=WIB)),
        # no offset: the default zone
        ("2018-04-20 15:17:00", datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)),
        ("2018-04-20", datetime(2018, 4, 20, tzinfo=JAKARTA)),
        ("Jumat, 20 Apr 2018 15:17", datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)),
        ("20 April 2018", datetime(2018, 4, 20, tzinfo=JAKARTA)),
    ],
)
def test_parse_feed_date(raw: str, expected: datetime) -> None:
    parsed = parse_feed_date(raw)
    assert parsed is not None and parsed.tzinfo is not None
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


def test_default_zone_is_a_parameter() -> None:
    parsed = parse_feed_date("2018-04-20 15:17:00", default_tz=UTC)
    assert parsed == datetime(2018, 4, 20, 15, 17, tzinfo=UTC)


def test_tempo_wrong_offset_is_taken_as_given() -> None:
    # Tempo's 2017 feed wrote WIB wall-clock times with "+0100", so this item really
    # appeared at 01:38 WIB (18:38 UTC the day before). No per-outlet fix is attempted:
    # the date is read exactly as written.
    parsed = parse_feed_date("Fri, 28 Apr 2017 01:38:02 +0100")
    assert parsed == datetime(2017, 4, 28, 0, 38, 2, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=1)


def test_other_forms_fall_back_to_dateparser() -> None:
    raw = "April 20, 2018 3:17 PM"
    assert parse_feed_date(raw, fallback=False) is None
    assert parse_feed_date(raw) == datetime(2018, 4, 20, 15, 17, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "bukan tanggal",
        "2 jam yang lalu",  # relative: meaningless without knowing when it was written
        "32 Apr 2018 10:00 WIB",
        "20 Foo 2018 10:00 WIB",
        "2018-13-01",
        "Fri, 20 Apr 2018 25:00:00 +0700",
        "Fri, 20 Apr 2018 10:00:00 +2500",
        "x" * 500,
    ],
)
def test_not_a_date(raw: str) -> None:
    assert parse_feed_date(raw) is None
