"""Fingerprints and pair features (bot.store.pairs), and the pair models' export (bot.store.pairmodel).

The texts are written for these tests in the styles of Indonesian outlets; the press-release
markers are the phrases outlets print on such pieces.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.store.pairmodel import EVENT_MODEL, THREAD_MODEL, load, packaged, probabilities
from bot.store.pairs import FEATURES, copy_share, dumps, fingerprint, is_copy, loads, pair_features, stated_day
from bot.store.storyvec import cosine
from summarizer.ranking.ranker import TreeEnsemble

NOON = datetime(2025, 6, 10, 5, 0, tzinfo=UTC)
RELEASE = (
    "PT Sinar Maju Tbk mencatat laba bersih Rp1,2 triliun sepanjang 2024, naik 15 persen dibanding tahun "
    "sebelumnya. Direktur Utama PT Sinar Maju Tbk Budi Hartono mengatakan kinerja positif itu ditopang "
    "penjualan ekspor yang tumbuh di tengah pelemahan permintaan global. Perseroan juga membagikan dividen "
    "sebesar Rp50 per saham kepada pemegang saham yang tercatat pada akhir bulan ini."
)


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("Jakarta - Polisi menangkap dua pelaku, Senin (9/6/2025).", 609),
        ("Timnas kalah 0-6 di Osaka, Selasa (10/6) malam.", 610),
        ("Upacara digelar pada 17 Agustus di Istana.", 817),
        ("Harga cabai naik lagi pagi ini.", None),
        ("Skor (45/90) tidak berubah.", None),  # no month 90
    ],
)
def test_the_day_the_lead_states(lead: str, day: int | None) -> None:
    assert stated_day(lead) == day


def test_fingerprints_round_trip_through_text() -> None:
    print_ = fingerprint("Laba Sinar Maju Naik 15 Persen", RELEASE)
    back = loads(dumps(print_))
    assert dumps(back) == dumps(print_)  # weights are kept to four significant digits
    assert (back.names, back.numbers, back.shingles, back.promo) == (
        print_.names,
        print_.numbers,
        print_.shingles,
        False,
    )
    assert cosine(back.body, print_.body) > 0.9999
    assert "15" in print_.numbers and print_.names


@pytest.mark.parametrize("bad", ["", "{}", "[1, 2]", '{"b": ""}'])
def test_unreadable_fingerprints_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        loads(bad)


def test_one_text_printed_by_two_outlets_is_a_copy() -> None:
    original = fingerprint("Laba Sinar Maju Naik 15 Persen", RELEASE)
    reprint = fingerprint("Sinar Maju Bukukan Laba Rp1,2 Triliun", "Jakarta - " + RELEASE)
    rewrite = fingerprint(
        "Sinar Maju Untung Besar",
        "Perusahaan ekspor Sinar Maju meraup untung Rp1,2 triliun tahun lalu. Menurut Budi Hartono, "
        "penjualan ke luar negeri menjadi penopang utama di saat permintaan dunia melemah.",
    )
    assert is_copy(original, reprint) and copy_share(original, reprint) > 0.8
    assert not is_copy(original, rewrite)


@pytest.mark.parametrize(
    ("text", "marked"),
    [
        (RELEASE + " Artikel ini merupakan kerja sama dengan PT Sinar Maju Tbk.", True),
        ("ADVERTORIAL - " + RELEASE, True),
        ("Dalam siaran pers yang diterima redaksi, perusahaan menyebut laba naik.", True),
        ("Hal itu disampaikan perseroan dalam rilisnya, Selasa (10/6/2025).", True),
        (RELEASE, False),
        ("Polisi merilis identitas korban kecelakaan di tol Cipularang.", False),
    ],
)
def test_press_release_and_paid_content_markers(text: str, marked: bool) -> None:
    assert fingerprint("Judul", text).promo is marked


def test_pair_features_are_symmetric_where_they_should_be() -> None:
    a = fingerprint("Laba Sinar Maju Naik 15 Persen", RELEASE)
    b = fingerprint("Sinar Maju Bukukan Laba Rp1,2 Triliun", RELEASE)
    ab = pair_features(a, NOON, "detik", b, NOON + timedelta(hours=3), "kompas")
    ba = pair_features(b, NOON + timedelta(hours=3), "kompas", a, NOON, "detik")
    assert len(ab) == len(FEATURES) and ab == pytest.approx(ba)
    named = dict(zip(FEATURES, ab, strict=True))
    assert named["hours"] == 3 and named["same_outlet"] == 0 and named["copy"] > 0.9


def test_packaged_models_read_the_features_they_were_trained_on() -> None:
    models = packaged()
    assert models.event.features == FEATURES == models.thread.features
    close = {"body": 0.9, "title": 0.8, "lead": 0.9, "title_body": 0.8, "title_lead": 0.8, "names": 3}
    close |= {"names_share": 0.6, "numbers": 2, "date_same": 1, "hours": 1}
    far = {"body": 0.02, "numbers_clash": 1, "date_clash": 1, "hours": 40, "same_outlet": 1}
    rows = [[case.get(name, 0.0) for name in FEATURES] for case in (close, far)]
    p = probabilities(models.event, rows)
    assert p[0] > 0.5 > p[1]
    assert load(EVENT_MODEL) is models.event and load(THREAD_MODEL) is models.thread


def test_the_export_scores_like_lightgbm() -> None:
    """A pair model trained as ``python -m bot.cli.grouping_train`` does, exported, read with numpy."""
    lightgbm = pytest.importorskip("lightgbm", reason="the train extra (LightGBM) is not installed")
    from bot.cli.grouping_train import DEPTH, fit

    rng = np.random.default_rng(7)
    rows = rng.random((600, len(FEATURES)))
    y = (rows[:, 0] + rows[:, 1] * 0.5 - rows[:, 9] * 0.3 > 0.6).astype(int)
    exported = TreeEnsemble.from_dict(fit(rows, y, trees=25))
    booster = lightgbm.train(
        {"objective": "binary", "max_depth": DEPTH, "num_leaves": 2**DEPTH, "learning_rate": 0.08,
         "min_data_in_leaf": 20, "verbose": -1, "seed": 13, "deterministic": True, "num_threads": 1},
        lightgbm.Dataset(rows, label=y),
        num_boost_round=25,
    )  # fmt: skip
    assert exported.predict(rows) == pytest.approx(booster.predict(rows, raw_score=True), abs=1e-9)
    assert probabilities(exported, rows) == pytest.approx(booster.predict(rows), abs=1e-9)
