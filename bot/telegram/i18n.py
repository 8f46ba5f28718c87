"""Two languages: every reader-facing string goes through gettext; Indonesian is the source and default.

Messages are written in Indonesian in the code and marked with ``_()``; ``bot/locale/en`` holds
the English catalog (``ringkas.po``, compiled to the committed ``ringkas.mo``; see docs/operations.md,
"Translations"). The language in effect is a context variable: ``set_language`` sets it for
each incoming update (the chat's ``/bahasa`` choice, else the user's ``language_code``), and
``use_language`` wraps rendering a digest or alert for one subscriber.
"""

from __future__ import annotations

import gettext
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

DOMAIN = "ringkas"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")
_current: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The translations for a language; Indonesian (the source language) translates to itself."""
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, [language])
    except OSError:  # a missing .mo must not silence the bot; the catalog test catches it
        logger.error("no compiled %s catalog in %s; answering in Indonesian", language, LOCALE_DIR)
        return gettext.NullTranslations()


def _(message: str) -> str:
    """The message in the language in effect."""
    return catalog(_current.get()).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; ``_()`` translates it where it is used."""
    return message


def error_text(exc: Exception) -> str:
    """A store error's message in the language in effect (its template translated, then filled in)."""
    template = getattr(exc, "template", None)
    params = getattr(exc, "params", {})
    return _(template).format(**params) if isinstance(template, str) else str(exc)


def current_language() -> str:
    """The language in effect ("id" or "en")."""
    return _current.get()


def choose_language(stored: str | None, language_code: str | None) -> str:
    """The chat's stored choice, else English for an English-speaking user, else Indonesian."""
    if stored in LANGUAGES:
        return stored
    if language_code and language_code.lower().split("-")[0] == "en":
        return "en"
    return DEFAULT_LANGUAGE


def set_language(language: str) -> None:
    """Make a language the one in effect for the rest of this task (one update)."""
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def use_language(language: str | None) -> Iterator[None]:
    """Render in this language inside the block (for digests and alerts sent from jobs)."""
    token = _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)
