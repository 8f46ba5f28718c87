"""Writing the keyword-search index, and the stemmed terms both index and queries use.

Text is cut into words by ``summarizer.lang.words``, and each word becomes lower-case, accent-free
Indonesian stems ("kebanjiran" -> "banjir") joined by single spaces before it reaches the
database, so SQLite's FTS5 ``unicode61`` tokenizer and PostgreSQL's ``simple`` text-search
configuration see the same plain words and only split on spaces. Queries drop stop words. On SQLite the index is the FTS5 table ``article_search(title, body)`` with rowid =
article id; on PostgreSQL it is ``article_search(article_id, document tsvector)`` with the title
weighted A and the body B. Both are created by migration 0001.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.models import Article
from summarizer.lang.stemming import fold_reduplication, stem
from summarizer.lang.words import STOP_WORDS, words

logger = logging.getLogger(__name__)

# Joiners that summarizer.lang.words keeps inside a token ("e-KTP", "Jum'at", "1.000") but both
# databases' tokenizers split on; splitting here keeps index and query tokens identical.
_PART_SPLIT_RE = re.compile(r"[^\w]+|_+")

# Longest text indexed per article; beyond this a page is boilerplate or a data dump.
MAX_INDEXED_CHARS = 60_000
# Rows per statement when deleting or rebuilding, below SQLite's bound-variable limit.
BATCH_SIZE = 500


def _fold(value: str) -> str:
    """Lower-case and strip accents so "Café" and "cafe" index alike on both databases."""
    value = value.casefold()
    if value.isascii():
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stems(word: str) -> list[str]:
    """The search stems of one word: reduplication folded, hyphenated parts stemmed separately."""
    return [stem(part) for part in _PART_SPLIT_RE.split(fold_reduplication(word)) if part]


def search_terms(value: str) -> list[str]:
    """The stemmed word tokens of a text, in order, repeats kept."""
    out: list[str] = []
    for word in words(_fold(value)):
        out.extend(_stems(word))
    return out


def query_words(value: str) -> list[str]:
    """The stemmed tokens of a query without its stop words (all of them if only stop words)."""
    tokens = words(_fold(value))
    content = [w for w in tokens if w not in STOP_WORDS] or tokens
    return [s for word in content for s in _stems(word) if s]


def search_document(value: str) -> str:
    """The text as the index stores it: stems joined by spaces."""
    return " ".join(search_terms(value[:MAX_INDEXED_CHARS]))


def _dialect(session: AsyncSession) -> str:
    """The name of the session's database dialect (sqlite or postgresql)."""
    return session.get_bind().dialect.name


def _body_of(article: Article) -> str:
    # Without full text, the feed's description became the summary; index that instead.
    """The text to index for an article: its full text, else its feed summary."""
    return article.text or " ".join(article.summary or [])


_SQLITE_DELETE = text("DELETE FROM article_search WHERE rowid IN :ids").bindparams(bindparam("ids", expanding=True))
_SQLITE_INSERT = text("INSERT INTO article_search(rowid, title, body) VALUES (:id, :title, :body)")
_PG_UPSERT = text(
    "INSERT INTO article_search (article_id, document) VALUES (:id, "
    "setweight(to_tsvector('simple', :title), 'A') || setweight(to_tsvector('simple', :body), 'B')) "
    "ON CONFLICT (article_id) DO UPDATE SET document = excluded.document"
)
_PG_DELETE = text("DELETE FROM article_search WHERE article_id IN :ids").bindparams(bindparam("ids", expanding=True))


async def index_articles(session: AsyncSession, articles: Sequence[Article]) -> None:
    """Add or replace the index rows of these articles (flushing first if any lacks an id)."""
    if not articles:
        return
    if any(a.id is None for a in articles):
        await session.flush()
    rows = [
        {"id": a.id, "title": search_document(a.title or ""), "body": search_document(_body_of(a))} for a in articles
    ]
    if _dialect(session) == "sqlite":
        await session.execute(_SQLITE_DELETE, {"ids": [r["id"] for r in rows]})
        await session.execute(_SQLITE_INSERT, rows)
    else:
        await session.execute(_PG_UPSERT, rows)


async def index_article(session: AsyncSession, article: Article) -> None:
    """Add or replace one article's index row; call after inserting or editing it."""
    await index_articles(session, [article])


async def unindex_articles(session: AsyncSession, ids: Iterable[int]) -> None:
    """Remove the index rows of these article ids (before or after deleting the articles)."""
    id_list = list(ids)
    statement = _SQLITE_DELETE if _dialect(session) == "sqlite" else _PG_DELETE
    for start in range(0, len(id_list), BATCH_SIZE):
        await session.execute(statement, {"ids": id_list[start : start + BATCH_SIZE]})


async def rebuild_index(session: AsyncSession, *, batch_size: int = BATCH_SIZE) -> int:
    """Re-index every article (after a stemming change); returns how many were indexed."""
    await session.execute(text("DELETE FROM article_search"))
    last_id, total = 0, 0
    while True:
        batch = list(
            (
                await session.scalars(
                    select(Article).where(Article.id > last_id).order_by(Article.id).limit(batch_size)
                )
            ).all()
        )
        if not batch:
            break
        await index_articles(session, batch)
        total += len(batch)
        last_id = batch[-1].id
        # Indexed articles are not needed again; keep memory flat on large databases.
        for article in batch:
            session.expunge(article)
    logger.info("search index rebuilt: %d articles", total)
    return total
