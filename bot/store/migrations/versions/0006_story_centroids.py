"""Story grouping by centroid: stories keep their members' summed vectors and index their key terms.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

Numbered after 0005 (reach). Existing stories get empty centroids; they simply attract no new articles, and new ones form
new stories (their articles' MinHash signatures are left as they are: nothing reads them).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add stories.centroid, title_centroid, last_published_at and the story_terms table."""
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("centroid", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("title_centroid", sa.Text(), server_default="", nullable=False))
        batch.add_column(sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "story_terms",
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("story_id", "term"),
    )
    op.create_index("ix_story_terms_term_published", "story_terms", ["term", "last_published_at"])


def downgrade() -> None:
    """Drop the table and the columns."""
    op.drop_index("ix_story_terms_term_published", table_name="story_terms")
    op.drop_table("story_terms")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("last_published_at")
        batch.drop_column("title_centroid")
        batch.drop_column("centroid")
