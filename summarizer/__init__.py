"""Indonesian extractive summarization: text in, a few verbatim sentences out.

``summarize(text, n)`` gives the n most summary-worthy sentences of an article in their
original order; ``summarize_page(raw, ...)`` also takes whole pages and returns their title,
author and time too. The pipeline (and its model and sumy) loads on first use, so importing
a light module such as ``summarizer.lang.words`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from summarizer.core import Summary, rank_sentences, summarize, summarize_page

__all__ = ["Summary", "rank_sentences", "summarize", "summarize_page"]


def __getattr__(name: str) -> Any:
    """Load the pipeline when one of its names is first asked for."""
    if name in __all__:
        return getattr(importlib.import_module("summarizer.core"), name)
    raise AttributeError(f"module 'summarizer' has no attribute {name!r}")
