"""The migrations' head as Alembic's script directory names it, so no test spells it out."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from bot.store.db import alembic_config


def head_revision() -> str:
    """The one head of the migration scripts."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations branch: {heads}"
    return str(heads[0])
