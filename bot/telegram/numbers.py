"""Numbers that readers type and that buttons and inline offsets carry, read strictly.

``str.isdigit`` accepts "²", which ``int`` refuses; ``int`` accepts "٣" and " 7"; and an id
beyond what the database column holds fails the query itself (PostgreSQL's INTEGER is 32-bit,
SQLite's 64-bit). Only ASCII digits up to a bound are a number here; anything else is a choice
the bot never offered.
"""

from __future__ import annotations

# The largest value of an INTEGER id column on either database (PostgreSQL's int4).
MAX_ID = 2**31 - 1


def ascii_number(text: str, maximum: int = MAX_ID) -> int | None:
    """The number that ``text`` spells in ASCII digits when it is at most ``maximum``, else None."""
    if not text or len(text) > len(str(maximum)) or not (text.isascii() and text.isdecimal()):
        return None
    number = int(text)
    return number if number <= maximum else None
