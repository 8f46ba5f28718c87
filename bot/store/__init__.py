"""Grouping and storing news: the database, its models and migrations, and the queries on them.

Owns the schema (SQLAlchemy models, Alembic migrations), feeds, articles, stories and their
grouping, search, subscribers, retention, backup and statistics. May import the pure text
functions of ``summarizer`` (stemming for search and grouping) and the top-level ``bot``
modules; never ``bot.ingest``, ``bot.telegram`` or ``bot.cli``.
"""
