"""The exported ranker gives the same scores as the LightGBM model it came from.

Skips with a reason where the ``train`` extra (LightGBM) is not installed; ``make test``
installs it.
"""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.ranking.export import export_lightgbm
from summarizer.ranking.ranker import TreeEnsemble

lightgbm = pytest.importorskip("lightgbm", reason="the train extra (LightGBM) is not installed")

FEATURES = ["a", "b", "c", "d"]


def _data(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, len(FEATURES)))
    x[:, 3] = rng.integers(0, 3, size=rows)  # a few distinct values, like counts and flags
    y = ((x[:, 0] + 0.5 * x[:, 1] ** 2 - x[:, 3] + rng.normal(0, 0.5, rows)) > 0).astype(float)
    return x, y


@pytest.mark.parametrize(("depth", "leaves"), [(1, 2), (3, 5), (4, 16), (5, 24)])
def test_exported_trees_score_like_lightgbm(depth: int, leaves: int) -> None:
    x, y = _data(2000, seed=depth)
    params = {
        "objective": "binary",
        "max_depth": depth,
        "num_leaves": leaves,
        "min_data_in_leaf": 20,
        "verbose": -1,
        "num_threads": 1,
        "deterministic": True,
    }
    booster = lightgbm.train(params, lightgbm.Dataset(x, y), num_boost_round=30)
    model = TreeEnsemble.from_dict(export_lightgbm(booster.dump_model(), FEATURES, depth))
    fresh, _ = _data(500, seed=99)
    for rows in (x[:500], fresh, np.vstack([x[:5], x[:5] * 0])):
        assert model.predict(rows) == pytest.approx(booster.predict(rows, raw_score=True), abs=1e-9)


def test_export_refuses_trees_deeper_than_the_format() -> None:
    x, y = _data(1000, seed=1)
    params = {"objective": "binary", "max_depth": 4, "num_leaves": 16, "verbose": -1}
    booster = lightgbm.train(params, lightgbm.Dataset(x, y), num_boost_round=3)
    with pytest.raises(ValueError, match="deeper"):
        export_lightgbm(booster.dump_model(), FEATURES, 2)
