"""Tests for bot.store.cluster and bot.store.storyvec: vectors, the two-tier grouping rule, its windows.

The synthetic articles below are written for these tests (invented places, clubs and
figures, in the styles of different Indonesian outlets). Quality on real articles is in
``test_cluster_quality.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.store.cluster import DEFAULT_SETTINGS, Choice, Member, OpenStory, choose, key_terms
from bot.store.pairs import Fingerprint, fingerprint
from bot.store.storyvec import article_vector, cosine, decode, encode, terms

NOON = datetime(2018, 2, 4, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    """A synthetic article: outlet, headline, lead."""

    source: str
    title: str
    lead: str

    def print(self) -> Fingerprint:
        """The item's fingerprint."""
        return fingerprint(self.title, self.lead)

    def member(self, story_id: int = 7, when: datetime = NOON) -> Member:
        """The item as a member of story ``story_id``."""
        return Member(story_id, self.print(), when, self.source)


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


def open_story(story_id: int = 7, thread_id: int | None = 70, first: datetime = NOON) -> OpenStory:
    """A candidate story whose thread was last active at its first member's time."""
    return OpenStory(story_id, thread_id, first, first)


def joins(new: Item, old: Item, hours_apart: float = 3) -> bool:
    """Whether ``new``, published ``hours_apart`` after ``old``, joins old's story (id 7)."""
    when = NOON + timedelta(hours=hours_apart)
    return choose(new.print(), when, new.source, [open_story()], [old.member()]).story_id == 7


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (QUAKE_DETIK, QUAKE_ANTARA),  # one earthquake: the wire's report and a rewrite
        (STING_CNN, STING_KOMPAS),  # one corruption sting: other headline, shared names
        (MATCH_RESULT, MATCH_REPORT),  # one match: report vs a result led by the scorer
        (RATE_HOLD_CNN, RATE_HOLD),  # one central-bank decision, reworded
    ],
)
def test_same_event_from_other_outlets_joins_the_story(new: Item, old: Item) -> None:
    assert joins(new, old)


@pytest.mark.parametrize(
    ("new", "old"),
    [
        (OTHER_QUAKE_DETIK, QUAKE_ANTARA),  # two earthquakes: other place, other magnitude
        (WITNESS_CNN, STING_KOMPAS),  # two KPK cases: a sting and a witness questioned
        (RESERVES, RATE_HOLD),  # two Bank Indonesia announcements
    ],
)
def test_same_topic_different_event_stays_apart(new: Item, old: Item) -> None:
    assert not joins(new, old)


def test_outside_the_window_nothing_joins() -> None:
    late = DEFAULT_SETTINGS.window.total_seconds() / 3600 + 1
    assert not joins(QUAKE_DETIK, QUAKE_ANTARA, hours_apart=late)


def test_the_window_counts_from_the_first_member() -> None:
    """A story whose latest member is recent still closes ``window`` after its first one."""
    late = NOON + DEFAULT_SETTINGS.window + timedelta(hours=1)
    member = QUAKE_ANTARA.member(when=late - timedelta(hours=1))
    choice = choose(QUAKE_DETIK.print(), late, QUAKE_DETIK.source, [open_story(first=NOON)], [member])
    assert choice.story_id is None


def test_the_best_fitting_story_wins() -> None:
    stories = [open_story(7), open_story(8, thread_id=80)]
    members = [OTHER_QUAKE_ANTARA.member(7), QUAKE_ANTARA.member(8)]
    choice = choose(QUAKE_DETIK.print(), NOON, QUAKE_DETIK.source, stories, members)
    assert (choice.story_id, choice.thread_id) == (8, 80)


def test_a_story_is_joined_by_its_mean_over_members_not_its_best_member() -> None:
    """One fitting member among several that do not fit is not enough to join."""
    members = [QUAKE_ANTARA.member(), RESERVES.member(), RATE_HOLD.member(), STING_KOMPAS.member()]
    choice = choose(QUAKE_DETIK.print(), NOON, QUAKE_DETIK.source, [open_story()], members)
    assert choice.story_id is None


def test_a_closed_thread_takes_no_new_story() -> None:
    idle = NOON + DEFAULT_SETTINGS.thread_idle + timedelta(hours=1)
    old = OpenStory(7, 70, NOON - timedelta(days=9), NOON - timedelta(days=9))
    choice = choose(STING_CNN.print(), idle, STING_CNN.source, [old], [STING_KOMPAS.member(when=NOON)])
    assert choice.thread_id is None


def test_naive_datetimes_are_taken_as_utc() -> None:
    naive = NOON.replace(tzinfo=None) + timedelta(hours=1)
    assert choose(QUAKE_DETIK.print(), naive, "detik", [open_story()], [QUAKE_ANTARA.member()]).story_id == 7


def test_an_article_without_words_matches_nothing() -> None:
    assert article_vector("", "") == {}
    assert choose(fingerprint("", ""), NOON, "x", [open_story()], [QUAKE_ANTARA.member()]).story_id is None


def test_no_candidates_start_a_story_and_a_thread() -> None:
    assert choose(QUAKE_DETIK.print(), NOON, "detik", [], []) == Choice(None, None, False)


def test_vectors_round_trip_through_text_and_are_normalised() -> None:
    vector = article_vector(STING_KOMPAS.title, STING_KOMPAS.lead)
    assert abs(sum(w * w for w in vector.values()) - 1) < 1e-9
    back = decode(encode(vector))
    assert back.keys() == vector.keys()
    assert cosine(back, vector) > 0.9999
    assert key_terms(vector, 3) == list(back)[:3]


@pytest.mark.parametrize("bad", ["kpk", "kpk:x", ":0.5"])
def test_unreadable_vectors_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        decode(bad)


def test_terms_mark_names_and_numbers_and_split_glued_words() -> None:
    found = terms("Timnas kalah 0-6. Pelatih Patrick Kluivert kecewa, lagaTimnas berakhir.")
    assert ("0-6", False, True) in found
    assert any(t == "kluivert" and name for t, name, _ in found)
    assert sum(t == "timnas" for t, _, _ in found) == 2  # "lagaTimnas" counted too
