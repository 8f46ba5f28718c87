"""The summarization methods by name: the default learned ranker, LEAD-n and sumy's classics.

A method takes the sentences of a cleaned article and a budget (at most n sentences, about
w words) and returns the indices of the sentences it picks (any order; the caller restores
document order). LEAD-3 is defined by its count: the first three sentences (fewer if n is
smaller). The default method picks under the word budget itself; sumy's methods, which
only answer "the best k sentences", are asked for k = 1, 2, ... and the k whose summary
ends nearest the budget is kept. The sumy methods get
the same sentences as everything else, wrapped in sumy's document model, with the Indonesian
stemmer and stop words, so a comparison between methods compares ranking only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from summarizer.lang.words import STOP_WORDS, word_count
from summarizer.ranking.budget import Budget
from summarizer.ranking.features import Sentence
from summarizer.ranking.ranker import LearnedRanker

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


LEAD_SENTENCES = 3


def lead(sentences: list[Sentence], budget: Budget) -> list[int]:
    """The first three sentences (at most n), whatever their length: LEAD-3."""
    return list(range(min(LEAD_SENTENCES, budget.sentences, len(sentences))))


def _nearest_budget(pick_k: Callable[[int], list[int]], lengths: list[int], budget: Budget) -> list[int]:
    """The picks of the k (1..n) whose summary's word count is nearest the budget."""
    best: list[int] = []
    best_gap = None
    for k in range(1, min(budget.sentences, len(lengths)) + 1):
        picked = pick_k(k)
        total = sum(lengths[i] for i in picked)
        gap = abs(total - (budget.words or 0))
        if best_gap is not None and gap >= best_gap:
            break
        best, best_gap = picked, gap
        if budget.words is None or total >= budget.words:
            break
    return best


def learned(sentences: list[Sentence], budget: Budget) -> list[int]:
    """The default: boosted trees over position, shape and centrality features, budgeted pick."""
    return LearnedRanker().pick(sentences, budget)


def sumy_method(name: str) -> Method:
    """A method running one of sumy's summarizers on our sentences."""
    module_name, class_name = _SUMY_CLASSES[name]

    def run(sentences: list[Sentence], budget: Budget) -> list[int]:
        from sumy.models.dom import ObjectDocumentModel, Paragraph
        from sumy.models.dom import Sentence as SumySentence

        from summarizer.lang.tokenizer import IndonesianTokenizer, sumy_stemmer

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

        def pick_k(k: int) -> list[int]:
            return [index[id(w)] for w in summarizer(document, k)]

        if budget.words is None:
            return pick_k(budget.sentences)
        return _nearest_budget(pick_k, [word_count(s.text) for s in sentences], budget)

    run.__name__ = f"sumy_{name}"
    run.__doc__ = f"sumy's {class_name} with the Indonesian stemmer and stop words."
    return run


METHODS: dict[str, Method] = {
    DEFAULT_METHOD: learned,
    LEAD_METHOD: lead,
    **{name: sumy_method(name) for name in _SUMY_CLASSES},
}
