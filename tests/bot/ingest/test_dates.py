"""Feed dates in the forms Indonesian outlets write them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.ingest.dates import JAKARTA, parse_feed_date

WIB = timezone(timedelta(hours=7))
WITA = timezone(timedelta(hours=8))
WIT = timezone(timedelta(hours=9))
EDT = timezone(timedelta(hours=-4))


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
