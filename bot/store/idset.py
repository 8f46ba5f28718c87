"""``column IN (ids)`` with the ids bound as one parameter: an array on PostgreSQL, JSON on SQLite.

A plain ``IN`` binds each id on its own; at a few thousand ids that rendering (and PostgreSQL
planning a statement of a few thousand parameters, never the same text twice) cost more than
the work the statement does. One parameter keeps the statement text fixed and cheap to bind.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

logger = logging.getLogger(__name__)


def among(
    session: AsyncSession, column: ColumnElement[Any] | QueryableAttribute[Any], ids: Collection[int]
) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, for a statement run in ``session``."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(ids), ARRAY(Integer)))
    each = func.json_each(literal(json.dumps(list(ids)))).table_valued("value")
    return column.in_(select(each.c.value))
