"""The story-term index covers the candidate lookup: (term, last_published_at, story_id).

A new article's lookup reads, per key term, the most recently active open stories; with the
story id in the index the database answers from the index alone, never touching the table.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Replace the (term, last_published_at) index with one that also holds story_id."""
    op.drop_index("ix_story_terms_term_published", table_name="story_terms")
    op.create_index("ix_story_terms_lookup", "story_terms", ["term", "last_published_at", "story_id"])


def downgrade() -> None:
    """Put the two-column index back."""
    op.drop_index("ix_story_terms_lookup", table_name="story_terms")
    op.create_index("ix_story_terms_term_published", "story_terms", ["term", "last_published_at"])
