"""A stored summary cut to a reader's length: at most N sentences within about W words."""

from __future__ import annotations

from bot.telegram.digest import summary_sentences

# Best first, as ingestion stores them: [position in the article, sentence].
STORED = [
    [0, "Banjir merendam ratusan rumah di Kemang sejak Senin pagi setelah hujan deras semalam."],
    [3, "Warga mengungsi ke masjid dan balai warga terdekat sambil menunggu air surut."],
    [1, "Petugas pemadam kebakaran mengerahkan perahu karet untuk mengevakuasi warga lanjut usia."],
    [5, "Pemerintah kota berjanji memperbaiki saluran air di kawasan itu tahun depan."],
]


def test_without_a_budget_the_count_decides() -> None:
    assert summary_sentences(STORED, 2) == [STORED[0][1], STORED[1][1]]


def test_the_word_budget_keeps_fewer_sentences_in_article_order() -> None:
    # 13, 12, 11 and 11 words: a sentence joins while half of it still fits the budget.
    assert summary_sentences(STORED, 4, 15) == [STORED[0][1]]
    assert summary_sentences(STORED, 4, 30) == [STORED[0][1], STORED[1][1]]
    assert summary_sentences(STORED, 4, 40) == [STORED[0][1], STORED[2][1], STORED[1][1]]


def test_the_count_stays_a_maximum_under_a_long_budget() -> None:
    assert len(summary_sentences(STORED, 2, 500)) == 2
    assert len(summary_sentences(STORED, 4, 500)) == 4


def test_plain_sentence_lists_are_cut_the_same_way() -> None:
    plain = [str(s) for _, s in STORED]
    assert summary_sentences(plain, 4, 15) == plain[:1]
    assert summary_sentences(plain, 0, 60) == []
