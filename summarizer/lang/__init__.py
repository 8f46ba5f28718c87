"""The Indonesian language parts both stages share: words and stop words, stemming, sentence
splitting, the sumy-shaped tokenizer, dates and datelines, and loading the data files.

It imports nothing of ``summarizer.page``, ``summarizer.ranking`` or ``summarizer.training``.
"""
