"""Getting news in: fetch feeds and pages safely, parse them, extract the article, store it.

Owns the HTTP fetcher with its SSRF guard and per-host politeness, feed parsing, full-text
extraction, the worker processes that run parsing and summarizing off the event loop, and
the ingest pipeline with its schedule. May import ``bot.store``, ``summarizer`` and the
top-level ``bot`` modules (config, logs, metrics, clock); never ``bot.telegram`` or ``bot.cli``.
"""
