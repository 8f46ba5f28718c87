"""Talking to Telegram: the python-telegram-bot application, handlers, rendering and delivery.

Owns the command surface, the digest and alert jobs, HTML rendering and the delivery ledger.
May import ``bot.store``, ``bot.ingest``, ``summarizer`` and the top-level ``bot`` modules;
never ``bot.cli``.
"""
