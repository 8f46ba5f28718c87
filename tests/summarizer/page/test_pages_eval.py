"""Floors on the labelled corpus of real pages (benchmarks/pages_eval.py, tests/fixtures/pages)."""

from __future__ import annotations

import json

import pytest

from benchmarks.pages_eval import LABELS, Score, _path, accuracy, balanced_quotes, evaluate, whole_sentence

# Issue #9's targets; checked again on pages the rules were not written from. Issue #20 adds the
# article's first sentence (standfirsts, teasers and source line breaks kept it from 78 %) and
# whole summary sentences (fragments, "…" teasers and tweets took 7 of 117 pages).
FLOORS = {"title": 0.95, "author": 0.90, "published": 0.90, "first": 0.90, "clean": 1.0, "whole": 0.97,
          "answered": 1.0}  # fmt: skip


@pytest.fixture(scope="module")
def scores() -> list[Score]:
    found, _ = evaluate()
    if not found:
        pytest.skip("no labelled page is present (the shared data directory is missing)")
    return found


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_field_meets_its_floor(scores: list[Score], field: str) -> None:
    missed = [s.id for s in scores if not s.fields[field]]
    assert accuracy(scores)[field] >= FLOORS[field], f"{field} wrong on {missed}"


def test_no_summary_sentence_has_unbalanced_quotes(scores: list[Score]) -> None:
    assert accuracy(scores)["quotes"] == 1.0


def test_every_label_is_complete() -> None:
    required = {"id", "outlet", "file", "url", "saved", "title", "author", "published",
                "first_sentence", "never_in_summary"}  # fmt: skip
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        assert required <= set(label), label.get("id")
        assert label["file"].startswith("shared:") or _path(label["file"]).is_file()


def test_balanced_quotes() -> None:
    assert balanced_quotes('"Kami siap," kata dia.')
    assert not balanced_quotes('"Tema KTT ASEAN adalah kerja sama.')
    assert not balanced_quotes("“Kami siap, kata dia.")


def test_whole_sentence() -> None:
    assert whole_sentence('"Kami siap," kata dia.') and whole_sentence("Benarkah itu?")
    assert not whole_sentence("Tetapi, agar pesan politik ini")  # cut at a source line break
    assert not whole_sentence("KPK memastikan akan terus melanjutkan penyelidikan ole…")
    assert not whole_sentence("#NegaraMelindungi#IniDiplomasi pic.twitter.com/p7I348hxnK")


def test_the_corpus_is_as_wide_as_the_issue_asks() -> None:
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(labels) >= 60
    assert len({label["outlet"].split(" (")[0] for label in labels}) >= 15
