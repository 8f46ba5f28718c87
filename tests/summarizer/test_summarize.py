"""Behaviour of the public summarizer API, every registered method, the ranker and evaluation.

The articles here are synthetic Indonesian news written for these tests; nothing needs the
network (a fixture makes any connection attempt fail) or the shared data set.
"""

from __future__ import annotations

import json
import math
import socket
from collections.abc import Iterator

import pytest

from summarizer import Summary, rank_sentences, summarize, summarize_page
from summarizer.core import DEFAULT_SENTENCES
from summarizer.evaluate import MethodScore, evaluate, format_table
from summarizer.lang.words import word_count
from summarizer.page.clean import clean_page
from summarizer.ranking.features import (
    FEATURE_NAMES,
    document_features,
    split_document,
    starts_lower,
    unbalanced_quotes,
    unfinished,
)
from summarizer.ranking.methods import DEFAULT_METHOD, METHODS
from summarizer.ranking.ranker import MODEL_FILE, LearnedRanker, TreeEnsemble, default_model
from summarizer.training.trainset import Article, oracle

ARTICLE = """\
JAKARTA, RINGKAS - Pemerintah Kota Bandar Harapan meresmikan jembatan gantung baru di atas Sungai Lestari pada Senin (12/3). Jembatan sepanjang 120 meter itu menghubungkan dua desa yang selama ini hanya bisa dicapai dengan perahu.

Wali Kota Bandar Harapan, Siti Rahmawati, mengatakan pembangunan jembatan menghabiskan dana Rp4,5 miliar dari anggaran daerah. Menurut dia, jembatan akan memangkas waktu tempuh warga ke pasar dari satu jam menjadi sepuluh menit.

"Anak-anak tidak perlu lagi menyeberang sungai dengan perahu untuk pergi ke sekolah. Ini janji kami kepada warga," kata Siti di lokasi peresmian.

Baca juga: Banjir Rendam Tiga Kecamatan di Bandar Harapan

Warga Desa Sukamaju menyambut gembira peresmian tersebut. Selama bertahun-tahun mereka harus membayar Rp5.000 sekali menyeberang.

Dinas Pekerjaan Umum setempat menyatakan jembatan mampu menahan beban hingga dua ton. Kendaraan roda empat tetap dilarang melintas demi keamanan.

Pemerintah kota berencana membangun dua jembatan serupa pada tahun depan. Lokasinya masih dikaji bersama pemerintah provinsi.
"""

SHORT_ARTICLE = "Harga cabai naik di Pasar Baru. Pedagang mengeluhkan sepinya pembeli."

DUPLICATED_LEAD = """\
Gempa berkekuatan 5,2 mengguncang Kabupaten Sinar Jaya pada Selasa pagi.

Gempa berkekuatan 5,2 mengguncang Kabupaten Sinar Jaya pada Selasa pagi.

Badan Meteorologi menyebut pusat gempa berada di laut pada kedalaman 10 kilometer. Gempa tidak berpotensi tsunami. Warga sempat berhamburan keluar rumah. Belum ada laporan kerusakan bangunan.
"""


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _article_sentences(raw: str) -> list[str]:
    return [s.text for s in split_document(clean_page(raw).text)]


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make any attempt to open a network connection fail loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the summarizer tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


def test_summary_is_n_verbatim_sentences_in_document_order() -> None:
    sentences = _article_sentences(ARTICLE)
    picked = summarize(ARTICLE, n=3)
    assert len(picked) == 3
    positions = [sentences.index(s) for s in picked]
    assert positions == sorted(positions)
    for sentence in picked:
        assert sentence in _normalized(ARTICLE)


def test_boilerplate_is_never_picked() -> None:
    for n in range(1, 8):
        assert not any(s.startswith("Baca juga") for s in summarize(ARTICLE, n=n))


@pytest.mark.parametrize("n", [1, 2, 4, 5])
def test_n_is_respected(n: int) -> None:
    assert len(summarize(ARTICLE, n=n, words=None)) == n
    assert 1 <= len(summarize(ARTICLE, n=n)) <= n
    assert 1 <= len(summarize(ARTICLE, n=n, words=200)) <= n


@pytest.mark.parametrize("budget", [10, 25, 40, 60, 80, 120])
def test_word_budget_decides_how_many_sentences_fit(budget: int) -> None:
    picked = summarize(ARTICLE, n=10, words=budget)
    lengths = [word_count(s) for s in picked]
    assert picked
    # A sentence is added while the summary ends nearer the budget with it than without.
    if len(picked) > 1:
        assert sum(lengths) - max(lengths) / 2 <= budget
    left = [s for s in _article_sentences(ARTICLE) if s not in picked]
    assert not left or sum(lengths) + min(word_count(s) for s in left) / 2 > budget or (len(picked) == 10)


def test_a_bigger_budget_never_gives_fewer_words() -> None:
    totals = [sum(map(word_count, summarize(ARTICLE, n=10, words=w))) for w in (20, 40, 60, 90)]
    assert totals == sorted(totals)


def test_summary_drops_the_dateline_and_keeps_quotes_whole() -> None:
    picked = summarize(ARTICLE, n=10, words=500)
    assert picked[0].startswith("Pemerintah Kota Bandar Harapan")
    assert not any("RINGKAS" in s for s in picked)
    assert not any(unbalanced_quotes(s) or starts_lower(s) for s in picked)
    assert any(s.endswith("kata Siti di lokasi peresmian.") and s.startswith('"Anak') for s in picked)


@pytest.mark.parametrize("words", [0, -5, 2.5])
def test_bad_word_budget_gives_empty_summary_with_reason(words: object) -> None:
    result = summarize_page(ARTICLE, words=words)  # type: ignore[arg-type]
    assert result.sentences == [] and result.reason is not None and "words" in result.reason


def test_article_with_n_or_fewer_sentences_comes_back_whole() -> None:
    assert summarize(SHORT_ARTICLE, n=3) == [
        "Harga cabai naik di Pasar Baru.",
        "Pedagang mengeluhkan sepinya pembeli.",
    ]
    assert summarize(SHORT_ARTICLE, n=2) == summarize(SHORT_ARTICLE, n=3)


def test_repeated_lead_is_shown_once() -> None:
    picked = summarize(DUPLICATED_LEAD, n=3)
    assert len(picked) == 3
    assert len(set(picked)) == 3


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   \n\t  \n",
        "\x00\x01\x02\x03\xff\xfe" * 500,
        "".join(chr(i % 256) for i in range(20_000)),
        "kata " * 300_000,
        "Presiden meresmikan jembatan baru.\n\n" * 3_000,
        ".....!!!???\n\n,,,,;;;",
        "<html><body><script>var x = 1;</script></body></html>",
    ],
    ids=[
        "empty",
        "whitespace",
        "control",
        "binary-ish",
        "huge-line",
        "huge-repeats",
        "punctuation",
        "html-no-text",
    ],
)
def test_odd_input_gives_a_list_without_raising(raw: str) -> None:
    picked = summarize(raw)
    assert isinstance(picked, list)
    assert len(picked) <= DEFAULT_SENTENCES
    assert len(set(picked)) == len(picked)
    assert all(isinstance(s, str) and s for s in picked)


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_input_gives_empty_summary_with_reason(raw: str) -> None:
    result = summarize_page(raw)
    assert result.sentences == []
    assert result.reason == "no text"


@pytest.mark.parametrize("raw", [None, 42, ["Kalimat."]])
def test_non_text_input_gives_empty_summary(raw: object) -> None:
    assert summarize(raw) == []  # type: ignore[arg-type]
    assert summarize_page(raw).reason == "no text"  # type: ignore[arg-type]


def test_bytes_input_is_decoded() -> None:
    assert summarize(SHORT_ARTICLE.encode()) == summarize(SHORT_ARTICLE)  # type: ignore[arg-type]


@pytest.mark.parametrize("n", [0, -2])
def test_bad_n_gives_empty_summary_with_reason(n: int) -> None:
    result = summarize_page(ARTICLE, n=n)
    assert result.sentences == []
    assert result.reason is not None and "n" in result.reason


def test_unknown_method_gives_reason() -> None:
    result = summarize_page(ARTICLE, method="nope")
    assert result.sentences == []
    assert result.reason == "unknown method 'nope'"


def test_summarize_page_carries_the_cleaned_page_metadata() -> None:
    raw = (
        "<html><head><title>Jembatan Baru Diresmikan</title>"
        '<meta name="author" content="Rina Wulandari">'
        '<meta property="article:published_time" content="2018-03-12T10:00:00+07:00">'
        "</head><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")) + "</article></body></html>"
    )
    page = clean_page(raw)
    result = summarize_page(raw, n=2)
    assert isinstance(result, Summary)
    assert (result.title, result.author, result.published) == (
        page.title,
        page.author,
        page.published,
    )
    assert result.method == DEFAULT_METHOD and result.reason is None
    assert len(result.sentences) == 2


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_runs_offline(method: str) -> None:
    sentences = _article_sentences(ARTICLE)
    result = summarize_page(ARTICLE, n=3, method=method)
    assert result.method == method and result.reason is None
    assert len(result.sentences) == 3
    positions = [sentences.index(s) for s in result.sentences]
    assert positions == sorted(positions)


def test_lead3_is_the_first_three_sentences() -> None:
    lead = summarize_page(ARTICLE, n=3, method="lead3").sentences
    assert lead == _article_sentences(ARTICLE)[:3]


def test_rank_sentences_is_best_first_and_agrees_with_summarize() -> None:
    text = clean_page(ARTICLE).text
    ranked = rank_sentences(text, limit=3)
    assert len(ranked) == 3
    assert [s for _, s in sorted(ranked)] == summarize(ARTICLE, n=3, words=None)
    sentences = _article_sentences(ARTICLE)
    assert all(sentences[i] == s for i, s in ranked)
    assert rank_sentences("") == []


def test_features_are_finite_and_complete() -> None:
    rows, vectors = document_features(split_document(clean_page(ARTICLE).text))
    assert rows and len(rows) == len(vectors)
    assert all(len(row) == len(FEATURE_NAMES) for row in rows)
    assert all(math.isfinite(v) for row in rows for v in row)


def test_shipped_model_matches_features_and_is_small() -> None:
    from importlib import resources

    data = resources.files("summarizer").joinpath("data", MODEL_FILE).read_text("utf-8")
    assert len(data) < 1_200_000
    assert tuple(json.loads(data)["features"]) == FEATURE_NAMES
    assert default_model().features == FEATURE_NAMES


def test_tree_ensemble_follows_thresholds_and_padding() -> None:
    model = TreeEnsemble.from_dict(
        {
            "format": 1,
            "features": ["a", "b"],
            "depth": 2,
            "base": 0.5,
            # Tree 1 splits on a, then on b on the left only (right side is padded).
            # Tree 2 is a single leaf value padded to depth 2.
            "trees": {
                "feature": [[0, 1, 0], [0, 0, 0]],
                "threshold": [[1.0, 2.0, None], [None, None, None]],
                "value": [[1.0, 2.0, 3.0, 99.0], [0.25, 99.0, 99.0, 99.0]],
            },
        }
    )
    scores = model.predict([[0.0, 0.0], [0.0, 5.0], [3.0, 0.0], [1.0, 2.0]])
    assert scores.tolist() == [1.75, 2.75, 3.75, 1.75]


def test_training_fits_a_model_the_ranker_can_use() -> None:
    pytest.importorskip("lightgbm", reason="the train extra (LightGBM) is not installed")
    from summarizer.training.train import Params, fit

    articles = []
    for raw in (ARTICLE, DUPLICATED_LEAD, ARTICLE.replace("Senin", "Selasa")):
        sentences = split_document(clean_page(raw).text)
        labels = [1.0 if i < 2 else 0.0 for i in range(len(sentences))]
        articles.append(Article(sentences, document_features(sentences)[0], labels, ""))
    model = TreeEnsemble.from_dict(fit(articles, Params(trees=3, depth=2, min_leaf=2)))
    picked = LearnedRanker(model).rank(articles[0].sentences, 2)
    assert len(picked) == 2 and len(set(picked)) == 2


def test_oracle_finds_the_copied_sentences_and_stops() -> None:
    sentences = _article_sentences(ARTICLE)
    reference = f"{sentences[1]} {sentences[4]}"
    assert sorted(oracle(sentences, reference)) == [1, 4]
    assert len(oracle(sentences, sentences[0])) == 1


def test_evaluate_scores_methods_and_formats_a_table() -> None:
    sentences = _article_sentences(ARTICLE)
    records = [
        {"text": ARTICLE, "summary": " ".join(sentences[:3])},
        {"text": SHORT_ARTICLE, "summary": SHORT_ARTICLE},
        {"text": "no summary here"},
    ]
    scores = evaluate(records, ["lead3", DEFAULT_METHOD], n=3, progress=False)
    assert [s.method for s in scores] == ["lead3", DEFAULT_METHOD]
    lead = scores[0]
    assert isinstance(lead, MethodScore) and lead.articles == 2
    assert lead.rouge1 == pytest.approx(100.0)
    assert 0 <= scores[1].rouge2 <= scores[1].rouge1 <= 100
    table = format_table(scores)
    assert table.splitlines()[0].startswith("| method | ROUGE-1 | ROUGE-2 | ROUGE-L | words |")
    words = (word_count(" ".join(sentences[:3])) + word_count(SHORT_ARTICLE)) / 2
    assert lead.words == pytest.approx(words)
    assert f"| lead3 | 100.00 | 100.00 | 100.00 | {words:.1f} | 2 |" in table
    assert 0 < scores[1].words <= 60 + max(map(word_count, sentences))


def test_evaluate_rejects_records_without_summaries() -> None:
    with pytest.raises(ValueError, match="summary"):
        evaluate([{"text": ARTICLE}], ["lead3"], progress=False)


def test_a_stored_ranking_is_cut_to_a_readers_budget() -> None:
    from summarizer.ranking.budget import take_within

    ranked = [s for _, s in rank_sentences(clean_page(ARTICLE).text, limit=5)]
    assert take_within(ranked, 5, None) == ranked
    assert take_within(ranked, 2, None) == ranked[:2]
    short = take_within(ranked, 5, 1)
    assert short == ranked[:1]
    cut = take_within(ranked, 5, 40)
    assert cut == ranked[: len(cut)]
    total = sum(map(word_count, cut))
    assert total - word_count(cut[-1]) / 2 <= 40 or len(cut) == 1
    assert take_within([], 3, 60) == []


def test_a_teaser_of_another_story_is_not_picked() -> None:
    # Page cleaning can leave a headline of another story above the body, as its own line.
    teaser = "Tiket konser musisi asal Korea ludes terjual dalam hitungan detik."
    picked = summarize(f"{teaser}\n\n{ARTICLE}", n=5, words=200)
    assert teaser not in picked and len(picked) == 5


def test_a_lone_line_without_closing_punctuation_is_not_a_summary_sentence() -> None:
    assert unfinished("Menjaga Kebugaran Tubuh dengan Multivitamin Gummy")
    assert not unfinished('"Kami siap," kata dia.') and not unfinished("Apa benar?")
    text = (
        "Menurut pakar nutrisi Rachel Olsen, tubuh mudah capek karena kurang mineral seperti yodium.\n\n"
        "Menjaga Kebugaran Tubuh dengan Multivitamin Gummy Yodium Mineral\n\n"
        "Mineral berasal dari tanah, udara, dan air, dan sering luput dari pola makan sehari-hari.\n\n"
        "Karena itu multivitamin dengan yodium dan selenium dibutuhkan, kata Rachel."
    )
    assert all("Gummy" not in sentence for sentence in summarize(text, n=3))
