"""Training the ranker offline: ``python -m summarizer.training.train`` (with the ``train``
extra), which writes its trees through ``summarizer.ranking.export``.

It imports ``summarizer.core`` and ``summarizer.evaluate`` (it measures what the driver does);
the bot never imports it.
"""
