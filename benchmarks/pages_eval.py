"""How well Ringkas reads real news pages: title, author, time and summary, per outlet.

The labelled pages are listed in ``tests/fixtures/pages/labels.jsonl`` (fields described in
``SOURCES.md`` beside it). Each page goes through ``summarize_page`` as ``ringkas summarize
PAGE --json`` would, and through ``clean_page`` for whether a time of day was found. Scores:
title equal (case and spacing ignored), author equal as a set of names, published equal to
the minute (a date-only label needs a date-only answer on that day), the article text
starting with the labelled first sentence, summary free of the page's furniture strings, of
sentences that do not end as sentences end (fragments, "…" teasers) and of sentences with
unbalanced quotation marks, and every page answering with sentences or a reason. Pages whose file is absent (``../shared`` missing) are
skipped and counted. Run: ``.venv/bin/python benchmarks/pages_eval.py``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from summarizer.core import summarize_page
from summarizer.page.clean import clean_page

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "fixtures" / "pages"
LABELS = PAGES / "labels.jsonl"
SHARED = ROOT.parent / "shared"
FIELDS = ("title", "author", "published", "first", "clean", "whole", "quotes", "answered")


@dataclass(frozen=True)
class Score:
    """One page's result: which fields were right."""

    id: str
    outlet: str
    fields: dict[str, bool]


def _path(file: str) -> Path:
    return SHARED / file.removeprefix("shared:") if file.startswith("shared:") else PAGES / file


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def _names(value: str | None) -> set[str]:
    parts = (value or "").replace(" dan ", ",").replace("&", ",").split(",")
    return {" ".join(part.split()).casefold() for part in parts if part.strip()}


def _same_time(label: str | None, found: datetime | None, has_time: bool) -> bool:
    if label is None or found is None:
        return label is None and found is None
    if len(label) == len("YYYY-MM-DD"):
        return not has_time and found.date().isoformat() == label
    expected = datetime.fromisoformat(label)
    return has_time and abs((found - expected).total_seconds()) < 60


# A place or outlet before the first words ("Jakarta - ", "Jayapura, ", "Metrotvnews.com, London: "),
# which some pages print apart from the text.
_LEADING_DATELINE = re.compile(r"^[\w.()]+(?:[ ,][\w.()]+){0,3}\s*[-–—:,]\s*")


def _starts_with(text: str, first: str) -> bool:
    """Whether an article text starts with its labelled first sentence (with or without its
    dateline; case and spacing aside)."""
    folded = " ".join(text.split()).casefold()
    first = " ".join(first.split()).casefold()
    return folded.startswith(first) or folded.startswith(_LEADING_DATELINE.sub("", first, count=1))


# A sentence ends with its stop, question or exclamation mark, closing quotes and brackets after it.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")


def whole_sentence(sentence: str) -> bool:
    """Whether a summary sentence ends as a sentence ends: not a fragment cut at a source line
    break, nor a teaser cut with "…", nor a tweet's link."""
    return bool(_SENTENCE_END.search(sentence.strip()))


def balanced_quotes(sentence: str) -> bool:
    """Whether a sentence opens and closes its quotation marks."""
    return sentence.count('"') % 2 == 0 and sentence.count("“") == sentence.count("”")


def score_page(label: dict[str, object], raw: str) -> Score:
    """Score one labelled page."""
    summary = summarize_page(raw, url=str(label.get("url") or "") or None)
    page = clean_page(raw, url=str(label.get("url") or "") or None)
    furniture = [str(s) for s in label.get("never_in_summary") or []]  # type: ignore[attr-defined]
    fields = {
        "title": _same_text(summary.title, str(label["title"])),
        "author": _names(summary.author) == _names(label.get("author")),  # type: ignore[arg-type]
        "published": _same_time(label.get("published"), page.published, page.has_time),  # type: ignore[arg-type]
        "first": _starts_with(page.text, str(label["first_sentence"])),
        "clean": not any(f in s for s in summary.sentences for f in furniture),
        "whole": all(whole_sentence(s) for s in summary.sentences),
        "quotes": all(balanced_quotes(s) for s in summary.sentences),
        "answered": bool(summary.sentences) or bool(summary.reason),
    }
    return Score(str(label["id"]), str(label["outlet"]), fields)


def evaluate(labels_path: Path = LABELS) -> tuple[list[Score], list[str]]:
    """Score every labelled page whose file is present; also return the ids skipped."""
    scores, skipped = [], []
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        path = _path(label["file"])
        if not path.is_file():
            skipped.append(label["id"])
            continue
        scores.append(score_page(label, path.read_text(encoding="utf-8", errors="replace")))
    return scores, skipped


def accuracy(scores: list[Score]) -> dict[str, float]:
    """Share of pages right per field."""
    return {f: sum(s.fields[f] for s in scores) / len(scores) if scores else 0.0 for f in FIELDS}


def table(scores: list[Score]) -> str:
    """Markdown tables: overall per field, then per outlet."""
    lines = ["| field | right | pages | accuracy |", "|---|---:|---:|---:|"]
    for field, value in accuracy(scores).items():
        right = sum(s.fields[field] for s in scores)
        lines.append(f"| {field} | {right} | {len(scores)} | {100 * value:.1f} % |")
    by_outlet: dict[str, list[Score]] = defaultdict(list)
    for score in scores:
        by_outlet[score.outlet].append(score)
    lines += ["", "| outlet | pages | " + " | ".join(FIELDS) + " |", "|---|---:" + "|---:" * len(FIELDS) + "|"]
    for outlet, group in sorted(by_outlet.items()):
        cells = " | ".join(f"{sum(s.fields[f] for s in group)}/{len(group)}" for f in FIELDS)
        lines.append(f"| {outlet} | {len(group)} | {cells} |")
    return "\n".join(lines)


def main() -> int:
    """Print the tables and the pages that missed a field."""
    scores, skipped = evaluate()
    print(table(scores))
    for score in scores:
        missed = [f for f, ok in score.fields.items() if not ok]
        if missed:
            print(f"- {score.id}: wrong {', '.join(missed)}")
    if skipped:
        print(f"skipped (file absent): {', '.join(skipped)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
