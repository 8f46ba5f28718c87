"""Getting news in: fetch feeds and pages safely, parse them, extract the article, store it.

Owns the HTTP fetcher and its SSRF guard, feed parsing, feed dates, full-text extraction and
the ingest pipeline with its schedule. May import ``bot.store``, ``summarizer`` and the
top-level ``bot`` modules (config, logs, metrics, clock); never ``bot.telegram`` or ``bot.cli``.
"""
