"""Summary quality on the IndoSum dev set: the default must clearly beat LEAD-3.

The bar: ROUGE-1 F1 at least 3 points (x100) above LEAD-3 (first three sentences of the same
cleaned, split article) and ROUGE-2 and ROUGE-L not lower. It is checked on all 1,465
articles with the shipped model, which was trained on this file, so the shipped model's
record of its own cross-validation (models trained on four fifths, scored on the held-out
fifth) is checked against the same bar too. The data lives beside the project in
../shared, which a fresh clone does not have; then these tests skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.evaluate import evaluate
from summarizer.rank import MODEL_FILE, LearnedRanker, TreeEnsemble
from summarizer.train import Params, fit, load_articles
from tests.shared_data import INDOSUM as DATA

MODEL = Path(__file__).resolve().parents[2] / "summarizer" / "data" / MODEL_FILE
MARGIN_R1 = 3.0

pytestmark = pytest.mark.skipif(
    not DATA.is_file(), reason=f"IndoSum dev data not found at {DATA} (../shared is absent)"
)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    with DATA.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def test_default_beats_lead3_on_the_whole_dev_set(records: list[dict]) -> None:
    lead, default = evaluate(records, ["lead3", "default"], n=3, progress=False)
    assert lead.articles == default.articles == len(records)
    assert default.rouge1 >= lead.rouge1 + MARGIN_R1, (default, lead)
    assert default.rouge2 >= lead.rouge2, (default, lead)
    assert default.rougeL >= lead.rougeL, (default, lead)


def test_shipped_model_cleared_the_bar_in_cross_validation() -> None:
    training = json.loads(MODEL.read_text("utf-8"))["training"]
    cv = training["cross_validation"]
    assert cv["folds"] >= 5
    assert cv["default"]["rouge1"] >= cv["lead3"]["rouge1"] + MARGIN_R1
    assert cv["default"]["rouge2"] >= cv["lead3"]["rouge2"]
    assert cv["default"]["rougeL"] >= cv["lead3"]["rougeL"]
    assert "IndoSum" in training["credit"]


def test_training_runs_on_a_slice_of_the_dev_set(tmp_path: Path, records: list[dict]) -> None:
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(json.dumps(r) + "\n" for r in records[:40]), encoding="utf-8")
    articles = load_articles(subset)
    assert len(articles) == 40
    assert all(sum(a.labels) == min(3, len(a.sentences)) for a in articles)
    model = TreeEnsemble.from_dict(fit(articles, Params(trees=5, min_leaf=10)))
    picked = LearnedRanker(model).rank(articles[0].sentences, 3)
    assert len(set(picked)) == 3
