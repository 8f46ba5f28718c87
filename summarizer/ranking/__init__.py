"""Choosing the sentences of a summary: sentence features, the learned ranker, sumy's classic
methods and the word-budget pick.

It imports only ``summarizer.lang``; ``summarizer.core`` drives it.
"""
