"""Benchmark of Indonesian stemmers on the words of the IndoSum dev set.

Prints words per second for PyStemmer's Snowball Indonesian (raw ``Stemmer.stemWords``, and
``summarizer.lang.stemming.stem`` with a cold and a warm cache) and for Sastrawi (a fresh stemmer
as shipped, whose dictionary is a Python list searched linearly, on a sample; and the same
algorithm with the dictionary turned into a set, on every token), then how often Snowball
plus reduplication folding agrees with Sastrawi (over all words, and over content words,
i.e. without stop words, which is what summarizers compare) and the most frequent content
words where they differ. Run from the project root:
``.venv/bin/python benchmarks/stemmer_bench.py [--data PATH] [--sastrawi-sample N]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.lang.stemming import fold_reduplication, stem  # noqa: E402
from summarizer.lang.words import STOP_WORDS, words  # noqa: E402

DEFAULT_DATA = ROOT / ".." / "shared" / "data" / "indosum-dev.jsonl"
SASTRAWI_SHIPPED_SAMPLE = 200
EXAMPLES = 15


def load_tokens(path: Path) -> list[str]:
    """Return every lower-cased word with at least one letter from the articles' text."""
    tokens: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["text"]
            tokens.extend(w for w in words(text) if any(c.isalpha() for c in w))
    return tokens


def timed(run: Callable[[], object], count: int) -> tuple[float, float]:
    """Run once; return (seconds, words per second)."""
    started = time.perf_counter()
    run()
    seconds = time.perf_counter() - started
    return seconds, count / seconds if seconds else float("inf")


def sastrawi(set_dictionary: bool) -> Callable[[str], str]:
    """A fresh Sastrawi stemmer; optionally with its list dictionary replaced by a set."""
    stemmer = StemmerFactory().create_stemmer()
    if set_dictionary:
        dictionary = stemmer.delegatedStemmer.dictionary
        dictionary.words = set(dictionary.words)
    return stemmer.stem


def stem_all(stemmer: Callable[[str], str], tokens: Iterable[str]) -> list[str]:
    """Stem each token with ``stemmer``."""
    return [stemmer(t) for t in tokens]


def main(argv: list[str] | None = None) -> int:
    """Print the speed table, the agreement figures and examples of disagreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="IndoSum-style JSONL")
    parser.add_argument(
        "--sastrawi-sample",
        type=int,
        default=SASTRAWI_SHIPPED_SAMPLE,
        help="tokens timed with Sastrawi as shipped (it runs at tens of words/second)",
    )
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"data file not found: {args.data}", file=sys.stderr)
        return 2

    tokens = load_tokens(args.data)
    vocabulary = Counter(tokens)
    print(f"{len(tokens):,} word tokens, {len(vocabulary):,} distinct, from {args.data.name}\n")

    snowball = Stemmer.Stemmer("indonesian")
    sample = tokens[: args.sastrawi_sample]
    rows: list[tuple[str, int, float, float]] = []
    rows.append(
        (
            "PyStemmer Stemmer.stemWords (raw)",
            len(tokens),
            *timed(lambda: snowball.stemWords(tokens), len(tokens)),
        )
    )
    stem.cache_clear()
    rows.append(
        (
            "summarizer.lang.stemming.stem, cold cache",
            len(tokens),
            *timed(lambda: stem_all(stem, tokens), len(tokens)),
        )
    )
    rows.append(
        (
            "summarizer.lang.stemming.stem, warm cache",
            len(tokens),
            *timed(lambda: stem_all(stem, tokens), len(tokens)),
        )
    )
    shipped = sastrawi(set_dictionary=False)
    rows.append(
        (
            "Sastrawi as shipped, cold (sample)",
            len(sample),
            *timed(lambda: stem_all(shipped, sample), len(sample)),
        )
    )
    fixed = sastrawi(set_dictionary=True)
    rows.append(
        (
            "Sastrawi, set dictionary, cold",
            len(tokens),
            *timed(lambda: stem_all(fixed, tokens), len(tokens)),
        )
    )

    print(f"{'stemmer':<40} {'words':>9} {'seconds':>9} {'words/s':>12}")
    for name, count, seconds, rate in rows:
        print(f"{name:<40} {count:>9,} {seconds:>9.3f} {rate:>12,.0f}")

    reference = {w: fixed(w) for w in vocabulary}
    ours = {w: stem(w) for w in vocabulary}
    raw = {w: snowball.stemWord(w) for w in vocabulary}

    def agreement(candidate: dict[str, str], among: list[str]) -> tuple[float, float]:
        same = [w for w in among if candidate[w] == reference[w]]
        among_tokens = sum(vocabulary[w] for w in among)
        return 100 * len(same) / len(among), 100 * sum(vocabulary[w] for w in same) / among_tokens

    content = [w for w in vocabulary if w not in STOP_WORDS]
    print(f"\n{'agreement with Sastrawi':<48} {'distinct %':>11} {'tokens %':>10}")
    for name, candidate in (("Snowball + reduplication folding", ours), ("Snowball alone", raw)):
        for scope, among in (("all words", list(vocabulary)), ("content words", content)):
            by_type, by_token = agreement(candidate, among)
            print(f"{name + ', ' + scope:<48} {by_type:>11.1f} {by_token:>10.1f}")
    folded = sum(1 for w in vocabulary if fold_reduplication(w) != w)
    print(f"(reduplicated forms folded before stemming: {folded:,} distinct words)")

    print(f"\nmost frequent content words where they differ (first {EXAMPLES}):")
    print(f"{'word':<22} {'count':>6}  {'Snowball+fold':<18} {'Sastrawi':<18}")
    differing = [w for w, _ in vocabulary.most_common() if w in content and ours[w] != reference[w]]
    for word in differing[:EXAMPLES]:
        print(f"{word:<22} {vocabulary[word]:>6}  {ours[word]:<18} {reference[word]:<18}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
