"""The vectorized pair features (bot.store.pairrows) give what ``pair_features`` gives, pair by pair.

The texts are written for these tests in the styles of Indonesian outlets: one happening told
twice, a neighbouring one, an empty article and one printed word for word by two outlets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.store.pairrows import pack, pair_rows
from bot.store.pairs import FEATURES, fingerprint, pair_features

NOON = datetime(2025, 6, 10, 5, 0, tzinfo=UTC)
TEXTS = [
    (
        "Gempa M 5,2 Guncang Garut, Warga Berhamburan",
        "Garut - Gempa bermagnitudo 5,2 mengguncang Kabupaten Garut, Jawa Barat, Senin (9/6/2025) pukul "
        "14.20 WIB. BMKG menyebut pusat gempa berada 30 km barat daya Garut pada kedalaman 10 km.",
    ),
    (
        "BMKG: Gempa Garut Magnitudo 5,2 Tidak Berpotensi Tsunami",
        "Jakarta - Badan Meteorologi, Klimatologi, dan Geofisika (BMKG) memastikan gempa magnitudo 5,2 yang "
        "mengguncang Garut pada Senin (9/6/2025) tidak berpotensi tsunami. Warga diminta tetap tenang.",
    ),
    (
        "Gempa M 4,1 Terasa di Sukabumi",
        "Sukabumi - Gempa bermagnitudo 4,1 terasa di Sukabumi, Selasa (10/6/2025) pagi. Belum ada laporan kerusakan.",
    ),
    ("", ""),
    (
        "Laba Sinar Maju Naik 15 Persen",
        "PT Sinar Maju Tbk mencatat laba bersih Rp1,2 triliun sepanjang 2024, naik 15 persen dibanding tahun "
        "sebelumnya, kata Direktur Utama PT Sinar Maju Tbk Budi Hartono dalam rilisnya di Jakarta.",
    ),
]
PRINTS = [fingerprint(title, text) for title, text in TEXTS]
OUTLETS = ["detik", "kompas", "antaranews", "okezone", "tempo"]


def rows_by_pairs(k: int, others: list[int], hours: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """The article ``k`` against ``others``: (pair by pair, vectorized)."""
    at = [NOON - timedelta(hours=h) for h in hours]
    one = [
        pair_features(PRINTS[k], NOON, OUTLETS[k], PRINTS[j], w, OUTLETS[j]) for j, w in zip(others, at, strict=True)
    ]
    many = pair_rows(
        pack(PRINTS[k]), NOON, OUTLETS[k], [(pack(PRINTS[j]), w, OUTLETS[j]) for j, w in zip(others, at, strict=True)]
    )
    return np.asarray(one, dtype=float).reshape(-1, len(FEATURES)), many


def test_every_article_against_every_other() -> None:
    for k in range(len(PRINTS)):
        others = [j for j in range(len(PRINTS)) if j != k] + [k]
        one, many = rows_by_pairs(k, others, [3.0 * n for n in range(len(others))])
        np.testing.assert_allclose(many, one, atol=1e-12)


def test_no_members_no_rows() -> None:
    assert pair_rows(pack(PRINTS[0]), NOON, "detik", []).shape == (0, len(FEATURES))


@settings(deadline=500, max_examples=50)
@given(
    st.integers(0, len(PRINTS) - 1),
    st.lists(st.tuples(st.integers(0, len(PRINTS) - 1), st.floats(0, 200)), min_size=1, max_size=12),
)
def test_any_choice_of_members(k: int, members: list[tuple[int, float]]) -> None:
    one, many = rows_by_pairs(k, [j for j, _ in members], [h for _, h in members])
    np.testing.assert_allclose(many, one, atol=1e-12)
