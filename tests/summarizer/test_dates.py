"""Dates as Indonesian pages print them (summarizer/dates.py, data/time_words.txt)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from summarizer.dates import ZONE_HOURS, find_date, is_update_line
from summarizer.langdata import read_entries

WIB = timezone(timedelta(hours=7))


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
def test_printed_dates_keep_their_time_or_say_they_have_none(
    text: str, expected: datetime, has_time: bool
) -> None:
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
