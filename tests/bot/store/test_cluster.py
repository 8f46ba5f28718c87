"""Tests for bot.store.cluster: signatures, similarity, the story rule, and the labelled real pairs.

The synthetic articles below are written for these tests (invented places, clubs and
figures, in the styles of different Indonesian outlets); the labelled pairs of real articles
come from IndoSum in ../shared and are skipped when it is absent.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.cluster_eval import (
    Article,
    LabelledPair,
    load_articles,
    load_pairs,
    replay,
    rule_scores,
    signatures,
)
from bot.store.cluster import (
    NUM_PERM,
    SAME_STORY_THRESHOLD,
    SIGNATURE_PREFIX,
    STORY_WINDOW,
    Candidate,
    pick_story,
    shingles,
    signature,
    similarity,
    strip_dateline,
)
from tests.shared_data import INDOSUM

NOON = datetime(2018, 2, 4, 12, 0, tzinfo=UTC)
Labelled = tuple[dict[str, Article], list[LabelledPair], dict[str, str]]


@dataclass(frozen=True)
class Item:
    """A synthetic article: outlet, headline, lead."""

    source: str
    title: str
    lead: str

    @property
    def sig(self) -> str:
        return signature(self.title, self.lead)


QUAKE_ANTARA = Item(
    "antaranews",
    "Gempa magnitudo 5,2 guncang Bantul, tidak berpotensi tsunami",
    "Yogyakarta (ANTARA) - Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) mencatat gempa "
    "bumi bermagnitudo 5,2 mengguncang wilayah Kabupaten Bantul, Daerah Istimewa Yogyakarta, "
    "Minggu pagi. Pusat gempa berada di laut pada kedalaman 10 kilometer dan tidak berpotensi "
    "tsunami.",
)
QUAKE_DETIK = Item(
    "detik",
    "Gempa M 5,2 Guncang Bantul DIY, BMKG: Tak Berpotensi Tsunami",
    "Jakarta - Gempa bumi dengan magnitudo 5,2 mengguncang Bantul, Yogyakarta, pagi ini. BMKG "
    "memastikan gempa yang berpusat di laut dengan kedalaman 10 km itu tidak berpotensi tsunami.",
)
OTHER_QUAKE_ANTARA = Item(
    "antaranews",
    "Gempa magnitudo 6,1 guncang Maluku Tengah, tidak berpotensi tsunami",
    "Ambon (ANTARA) - Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) mencatat gempa bumi "
    "bermagnitudo 6,1 mengguncang wilayah Kabupaten Maluku Tengah, Minggu siang. Pusat gempa "
    "berada di laut pada kedalaman 25 kilometer dan tidak berpotensi tsunami.",
)
OTHER_QUAKE_DETIK = Item(
    "detik",
    "Gempa M 6,1 Guncang Maluku Tengah, Warga Sempat Panik",
    "Jakarta - Gempa bumi bermagnitudo 6,1 mengguncang Maluku Tengah siang ini. Warga di Masohi "
    "sempat berhamburan keluar rumah, namun BMKG menyatakan gempa tidak berpotensi tsunami.",
)
STING_KOMPAS = Item(
    "kompas",
    "KPK Tangkap Bupati Sukamaju dalam Operasi Tangkap Tangan",
    "JAKARTA, KOMPAS.com - Komisi Pemberantasan Korupsi (KPK) menangkap Bupati Sukamaju dalam "
    "operasi tangkap tangan (OTT) di Jawa Tengah, Rabu malam. Juru bicara KPK membenarkan "
    "penangkapan tersebut dan menyebut sejumlah uang turut diamankan.",
)
STING_CNN = Item(
    "cnn indonesia",
    "Bupati Sukamaju Terjaring OTT KPK, Uang Ratusan Juta Disita",
    "Jakarta, CNN Indonesia -- Komisi Pemberantasan Korupsi (KPK) menggelar operasi tangkap "
    "tangan terhadap Bupati Sukamaju di Jawa Tengah pada Rabu (24/1) malam. Tim penyidik "
    "menyita uang ratusan juta rupiah dari lokasi penangkapan.",
)
WITNESS_CNN = Item(
    "cnn indonesia",
    "KPK Periksa Wali Kota Sukamundur sebagai Saksi Suap Proyek Jalan",
    "Jakarta, CNN Indonesia -- Komisi Pemberantasan Korupsi (KPK) memeriksa Wali Kota "
    "Sukamundur sebagai saksi dalam kasus suap proyek jalan, Kamis (25/1). Pemeriksaan "
    "berlangsung sekitar enam jam di Gedung Merah Putih KPK, Jakarta.",
)
MATCH_REPORT = Item(
    "goal indonesia",
    "Persimaju Tundukkan Persikota 2-1 di Stadion Maju Jaya",
    "Persimaju menang 2-1 atas Persikota dalam lanjutan Liga 1 di Stadion Maju Jaya, Sabtu "
    "malam. Dua gol tuan rumah dicetak Andi Saputra, sedangkan gol tamu lahir lewat penalti.",
)
MATCH_RESULT = Item(
    "bola.net",
    "Hasil Liga 1: Dwigol Andi Saputra Bawa Persimaju Kalahkan Persikota",
    "Bola.net - Andi Saputra mencetak dua gol saat Persimaju menaklukkan Persikota 2-1 pada "
    "laga Liga 1 di Stadion Maju Jaya, Sabtu (3/2/2018). Persikota hanya mampu membalas lewat "
    "tendangan penalti.",
)
RATE_HOLD = Item(
    "kumparan",
    "Bank Indonesia Pertahankan Suku Bunga Acuan 4,25 Persen",
    "Bank Indonesia (BI) memutuskan mempertahankan suku bunga acuan BI 7-Day Reverse Repo Rate "
    "di level 4,25 persen. Keputusan itu diambil dalam Rapat Dewan Gubernur BI yang berakhir "
    "Kamis.",
)
RATE_HOLD_CNN = Item(
    "cnn indonesia",
    "BI Tahan Suku Bunga Acuan di 4,25 Persen",
    "Jakarta, CNN Indonesia -- Rapat Dewan Gubernur (RDG) Bank Indonesia memutuskan menahan "
    "suku bunga acuan BI 7-Day Reverse Repo Rate sebesar 4,25 persen, Kamis (15/2). Gubernur BI "
    "menyebut keputusan itu sejalan dengan upaya menjaga stabilitas.",
)
RESERVES = Item(
    "antaranews",
    "Bank Indonesia Catat Cadangan Devisa Naik Jadi 131 Miliar Dolar AS",
    "Jakarta (ANTARA) - Bank Indonesia (BI) mencatat posisi cadangan devisa pada akhir Januari "
    "naik menjadi 131,98 miliar dolar AS. Kenaikan itu terutama dipengaruhi penerbitan obligasi "
    "global pemerintah.",
)


def joins(new: Item, old: Item, hours_apart: float = 3) -> bool:
    """Whether ``new``, published ``hours_apart`` after ``old``, joins old's story (id 7)."""
    candidate = Candidate(7, old.sig, NOON, old.source)
    when = NOON + timedelta(hours=hours_apart)
    return pick_story(new.sig, when, new.source, [candidate]) == 7


@pytest.mark.parametrize(
    ("new", "old"),
    [
        # One earthquake: the wire's templated report and a portal's rewrite.
        (QUAKE_DETIK, QUAKE_ANTARA),
        # One corruption sting: different headlines, shared names and facts.
        (STING_CNN, STING_KOMPAS),
        # One match: report vs a result piece led by the scorer.
        (MATCH_RESULT, MATCH_REPORT),
        # One central-bank decision, reworded.
        (RATE_HOLD_CNN, RATE_HOLD),
    ],
)
def test_same_event_from_other_outlets_joins_the_story(new: Item, old: Item) -> None:
    assert joins(new, old)
    assert joins(old, new, hours_apart=-3)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        # Two different earthquakes the same day, each outlet using its own template.
        (OTHER_QUAKE_DETIK, QUAKE_ANTARA),
        (OTHER_QUAKE_ANTARA, QUAKE_DETIK),
        # The same outlet's template for two different earthquakes.
        (OTHER_QUAKE_ANTARA, QUAKE_ANTARA),
        # KPK again, but another official in another case.
        (WITNESS_CNN, STING_KOMPAS),
        # Bank Indonesia again, but another announcement.
        (RESERVES, RATE_HOLD),
    ],
)
def test_same_topic_different_event_stays_apart(new: Item, old: Item) -> None:
    assert not joins(new, old)


def test_outside_the_window_nothing_joins() -> None:
    late = STORY_WINDOW.total_seconds() / 3600 + 1
    assert joins(QUAKE_DETIK, QUAKE_ANTARA, hours_apart=24)
    assert not joins(QUAKE_DETIK, QUAKE_ANTARA, hours_apart=late)
    assert not joins(QUAKE_DETIK, QUAKE_ANTARA, hours_apart=-late)


def test_same_outlet_joins_only_a_near_identical_article() -> None:
    republished = Item(STING_CNN.source, STING_CNN.title + " (Update)", STING_CNN.lead)
    assert joins(republished, STING_CNN)
    other_angle = Item(STING_CNN.source, STING_KOMPAS.title, STING_KOMPAS.lead)
    assert similarity(other_angle.sig, STING_CNN.sig) >= SAME_STORY_THRESHOLD
    assert not joins(other_angle, STING_CNN)


def test_the_most_similar_candidate_wins() -> None:
    candidates = [
        Candidate(1, RESERVES.sig, NOON, RESERVES.source),
        Candidate(2, RATE_HOLD.sig, NOON - timedelta(hours=30), RATE_HOLD.source),
        Candidate(3, STING_KOMPAS.sig, NOON, STING_KOMPAS.source),
    ]
    assert pick_story(RATE_HOLD_CNN.sig, NOON, RATE_HOLD_CNN.source, candidates) == 2


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = NOON.replace(tzinfo=None)
    candidate = Candidate(5, QUAKE_ANTARA.sig, naive, QUAKE_ANTARA.source)
    assert pick_story(QUAKE_DETIK.sig, NOON, QUAKE_DETIK.source, [candidate]) == 5


@pytest.mark.parametrize(("title", "lead"), [("", ""), ("   ", "\n"), ("yang dan di", "-- , .")])
def test_empty_title_and_lead_give_an_empty_signature_that_matches_nothing(
    title: str, lead: str
) -> None:
    sig = signature(title, lead)
    assert sig == ""
    assert similarity(sig, QUAKE_ANTARA.sig) == 0.0
    assert similarity(sig, sig) == 0.0
    assert pick_story(sig, NOON, "x", [Candidate(1, sig, NOON, "y")]) is None
    assert pick_story(QUAKE_ANTARA.sig, NOON, "x", [Candidate(1, sig, NOON, "y")]) is None


def test_signature_is_compact_deterministic_and_symmetric() -> None:
    sig = QUAKE_ANTARA.sig
    assert sig == signature(QUAKE_ANTARA.title, QUAKE_ANTARA.lead)
    # NUM_PERM 32-bit minima in base64 after a short prefix: 688 ASCII characters.
    assert sig.isascii()
    assert len(sig) == len(SIGNATURE_PREFIX) + 4 * math.ceil(NUM_PERM * 4 / 3)
    assert similarity(sig, sig) == 1.0
    assert similarity(sig, QUAKE_DETIK.sig) == similarity(QUAKE_DETIK.sig, sig)


@pytest.mark.parametrize("item", [QUAKE_DETIK, STING_CNN, MATCH_RESULT, RESERVES, WITNESS_CNN])
def test_similarity_estimates_the_jaccard_index(item: Item) -> None:
    a, b = shingles(QUAKE_ANTARA.title, QUAKE_ANTARA.lead), shingles(item.title, item.lead)
    exact = len(a & b) / len(a | b)
    # 128 permutations: the standard error is at most 0.045, so 0.15 is over three of them.
    assert similarity(QUAKE_ANTARA.sig, item.sig) == pytest.approx(exact, abs=0.15)


@pytest.mark.parametrize("bad", ["garbage", "mh1:not*base64", "mh1:AAAA"])
def test_malformed_signatures_raise_and_are_skipped_with_a_log_line(
    bad: str, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ValueError, match="signature"):
        similarity(bad, QUAKE_ANTARA.sig)
    good = Candidate(2, QUAKE_ANTARA.sig, NOON, QUAKE_ANTARA.source)
    with caplog.at_level(logging.WARNING, logger="bot.store.cluster"):
        found = pick_story(QUAKE_DETIK.sig, NOON, "detik", [Candidate(1, bad, NOON, "x"), good])
        assert found == 2
        assert pick_story(bad, NOON, "detik", [good]) is None
    assert "malformed signature" in caplog.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jakarta, CNN Indonesia - - Pelatih timnas", "Pelatih timnas"),
        ("Yogyakarta (ANTARA) - BMKG mencatat", "BMKG mencatat"),
        ("Merdeka.com - Timnas U - 16 menang", "Timnas U - 16 menang"),
        ("JUARA.NET, TOKYO - Pasangan ganda", "Pasangan ganda"),
        ("SPANYOL – Barcelona menang", "Barcelona menang"),
        ("Timnas Indonesia U - 16 melanjutkan", "Timnas Indonesia U - 16 melanjutkan"),
        ("Hasil Real Madrid vs Barcelona - skor", "Hasil Real Madrid vs Barcelona - skor"),
    ],
)
def test_strip_dateline(text: str, expected: str) -> None:
    assert strip_dateline(text) == expected


@pytest.fixture(scope="module")
def labelled() -> Labelled:
    """The labelled IndoSum pairs with their signatures (skipped without ../shared)."""
    if not INDOSUM.is_file():
        pytest.skip(f"needs {INDOSUM} (IndoSum from ../shared), absent in a fresh clone")
    articles = load_articles(INDOSUM)
    return articles, load_pairs(articles), signatures(articles.values())


def test_labelled_pairs_meet_the_measured_precision_and_recall(labelled: Labelled) -> None:
    _, pairs, sigs = labelled
    every, other_outlet = rule_scores(pairs, sigs, SAME_STORY_THRESHOLD)
    # Measured at 0.35: 2 merges, both right, of the 8 same-event pairs (5 across outlets).
    # IndoSum's same-event pairs are mostly different angles on one event, far apart in
    # wording (benchmarks/data/README.md); the floors guard against regressions.
    assert every.precision >= 0.9
    assert every.recall >= 0.25
    assert other_outlet.recall >= 0.4


def test_unrelated_labelled_pairs_look_unrelated(labelled: Labelled) -> None:
    _, pairs, sigs = labelled
    unrelated = [p for p in pairs if p.kind == "unrelated"]
    assert unrelated
    assert all(similarity(sigs[p.a.id], sigs[p.b.id]) < SAME_STORY_THRESHOLD / 2 for p in unrelated)


def test_replaying_every_article_merges_only_labelled_same_event_pairs(
    labelled: Labelled,
) -> None:
    articles, pairs, sigs = labelled
    same = {frozenset((p.a.id, p.b.id)) for p in pairs if p.same}
    merges = replay(articles, sigs, SAME_STORY_THRESHOLD)
    assert len(merges) >= 2, "the replay should find the two clear cross-outlet pairs"
    # A merge that is not a labelled same-event pair is a regression or a pair to label.
    assert [m for m in merges if frozenset(m) not in same] == []
