"""Property tests for the feed date parser (through its public ``parse_feed_date``): any text gives
an aware datetime or None without raising, dates written the way feeds write them come back
exactly, and long hostile strings are answered within a time bound per input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.lang.dates import parse_feed_date

DEADLINE_MS = 3000  # generous, so a loaded CI machine does not flake
BOUNDED = settings(
    deadline=DEADLINE_MS,
    max_examples=60,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
DAYS_ID = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
WIB = timezone(timedelta(hours=7))
DATE_BITS = st.sampled_from(
    [
        "Senin",
        ",",
        " ",
        "20",
        "Agu",
        "2018",
        "15:17",
        ":",
        "WIB",
        "+0700",
        "GMT+7",
        "-",
        "/",
        "T",
        "Z",
        "(",
        ")",
        "pukul",
        "99",
        "0000",
        "-1000000",
        "2018-13-01",
        "\x00",
        "\u200b",
    ]
)
DATE_LIKE = st.lists(st.one_of(DATE_BITS, st.text(max_size=8)), max_size=40).map("".join)


def check(value: datetime | None) -> None:
    """None, or a timezone-aware datetime."""
    assert value is None or (isinstance(value, datetime) and value.tzinfo is not None)


@BOUNDED
@given(raw=st.one_of(st.text(max_size=200), DATE_LIKE))
def test_any_text_is_a_date_or_none(raw: str) -> None:
    check(parse_feed_date(raw))


@BOUNDED
@given(moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2035, 12, 31)))
def test_indonesian_rfc822_dates_come_back_exactly(moment: datetime) -> None:
    moment = moment.replace(microsecond=0, tzinfo=WIB)
    raw = (
        f"{DAYS_ID[moment.weekday()]}, {moment.day:02d} {MONTHS_ID[moment.month - 1]} {moment.year} "
        f"{moment:%H:%M:%S} WIB"
    )
    assert parse_feed_date(raw) == moment
    assert parse_feed_date(moment.astimezone(UTC).isoformat()) == moment


@settings(BOUNDED, max_examples=10)
@given(unit=DATE_LIKE.filter(bool), times=st.integers(min_value=1_000, max_value=200_000))
def test_long_hostile_strings_are_answered_within_the_bound(unit: str, times: int) -> None:
    check(parse_feed_date((unit * times)[:2_000_000]))
