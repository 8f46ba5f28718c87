"""Training the ranker offline: ``python -m summarizer.training.train`` (with the ``train``
extra), and the export of its trees to the JSON the ranker reads.

It imports ``summarizer.core`` and ``summarizer.evaluate`` (it measures what the driver does);
the bot never imports it.
"""
