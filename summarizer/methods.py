"""The summarization methods by name: the default learned ranker, LEAD-n and sumy's classics.

A method takes the sentences of a cleaned article and a budget (at most n sentences, about
w words) and returns the indices of the sentences it picks (any order; the caller restores
document order). Only the default method reads the word budget; LEAD-n and sumy's methods
take n sentences, as they are defined. The sumy methods get
the same sentences as everything else, wrapped in sumy's document model, with the Indonesian
stemmer and stop words, so a comparison between methods compares ranking only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from summarizer.budget import Budget
from summarizer.features import Sentence
from summarizer.rank import LearnedRanker
from summarizer.words import STOP_WORDS

Method = Callable[[list[Sentence], Budget], list[int]]
DEFAULT_METHOD = "default"
LEAD_METHOD = "lead3"

# sumy (and the NLTK it pulls in) is imported only when one of its methods runs.
_SUMY_CLASSES = {
    "lexrank": ("sumy.summarizers.lex_rank", "LexRankSummarizer"),
    "textrank": ("sumy.summarizers.text_rank", "TextRankSummarizer"),
    "lsa": ("sumy.summarizers.lsa", "LsaSummarizer"),
    "luhn": ("sumy.summarizers.luhn", "LuhnSummarizer"),
    "kl": ("sumy.summarizers.kl", "KLSummarizer"),
    "sumbasic": ("sumy.summarizers.sum_basic", "SumBasicSummarizer"),
    "reduction": ("sumy.summarizers.reduction", "ReductionSummarizer"),
}


def lead(sentences: list[Sentence], budget: Budget) -> list[int]:
    """The first n sentences (LEAD-3 for n=3), whatever their length."""
    return list(range(min(budget.sentences, len(sentences))))


def learned(sentences: list[Sentence], budget: Budget) -> list[int]:
    """The default: boosted trees over position, shape and centrality features, budgeted pick."""
    return LearnedRanker().pick(sentences, budget)


def sumy_method(name: str) -> Method:
    """A method running one of sumy's summarizers on our sentences."""
    module_name, class_name = _SUMY_CLASSES[name]

    def run(sentences: list[Sentence], budget: Budget) -> list[int]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph
        from sumy.models.dom import Sentence as SumySentence

        from summarizer.tokenizer import IndonesianTokenizer, sumy_stemmer

        summarizer = getattr(importlib.import_module(module_name), class_name)(sumy_stemmer)
        summarizer.stop_words = STOP_WORDS
        tokenizer = IndonesianTokenizer()
        wrapped = [SumySentence(s.text, tokenizer) for s in sentences]
        paragraphs: dict[int, list[SumySentence]] = {}
        for s, w in zip(sentences, wrapped, strict=True):
            paragraphs.setdefault(s.paragraph, []).append(w)
        document = ObjectDocumentModel([Paragraph(p) for p in paragraphs.values()])
        # sumy hands back the very objects it was given; identity survives duplicate texts.
        index = {id(w): i for i, w in enumerate(wrapped)}
        return [index[id(w)] for w in summarizer(document, budget.sentences)]

    run.__name__ = f"sumy_{name}"
    run.__doc__ = f"sumy's {class_name} with the Indonesian stemmer and stop words."
    return run


METHODS: dict[str, Method] = {
    DEFAULT_METHOD: learned,
    LEAD_METHOD: lead,
    **{name: sumy_method(name) for name in _SUMY_CLASSES},
}
