"""The learned pair models of story grouping, read without their training library.

Two boosted-tree models score a pair of articles (``bot.store.pairs.pair_features``): how
likely they report one happening (``pair_event.json``, a story) and how likely they belong to
one developing story (``pair_thread.json``, a thread). They are trained on labelled days by
``python -m bot.cli.grouping_train`` (LightGBM, the ``train`` extra) and exported as plain
trees (``summarizer.ranking.export``) that numpy evaluates here; a test checks that the export
scores like LightGBM.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, cast

from bot.store.pairs import FEATURES

if TYPE_CHECKING:  # numpy and the trees load with the first model, not with the bot
    import numpy as np

    from summarizer.ranking.ranker import TreeEnsemble

EVENT_MODEL = "pair_event.json"
THREAD_MODEL = "pair_thread.json"


@cache
def load(name: str) -> TreeEnsemble:
    """A packaged pair model; ValueError when it was trained on other features."""
    from summarizer.ranking.ranker import TreeEnsemble

    data = json.loads(resources.files("bot.store").joinpath("data", name).read_text("utf-8"))
    model = TreeEnsemble.from_dict(data)
    if model.features != FEATURES:
        raise ValueError(f"{name} was trained on other pair features; run python -m bot.cli.grouping_train")
    return model


@dataclass(frozen=True)
class PairModels:
    """The two tiers' models: one happening (a story) and one developing story (a thread)."""

    event: TreeEnsemble
    thread: TreeEnsemble


@cache
def packaged() -> PairModels:
    """The models shipped with the bot."""
    return PairModels(load(EVENT_MODEL), load(THREAD_MODEL))


def probabilities(model: TreeEnsemble, rows: Sequence[Sequence[float]] | np.ndarray) -> np.ndarray:
    """The model's probability that each pair (a row of ``FEATURES``) is a match."""
    import numpy as np

    # An array of rows is what predict reads; its annotation names only the list form.
    return 1.0 / (1.0 + np.exp(-model.predict(cast("Sequence[Sequence[float]]", rows))))
