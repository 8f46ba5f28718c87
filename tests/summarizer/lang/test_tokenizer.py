"""Word tokens, stop words, language data loading and the sumy tokenizer/stemmer adapters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nltk
import pytest
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer

from summarizer.lang.langdata import load_wordlist, read_entries
from summarizer.lang.stemming import stem
from summarizer.lang.tokenizer import IndonesianTokenizer, build_document, sumy_stemmer
from summarizer.lang.words import STOP_WORDS, content_words, raw_words, words
from tests.shared_data import SEED

ARTICLE = """Banjir Rendam Ratusan Rumah

JAKARTA, KOMPAS.com - Banjir merendam ratusan rumah warga di Kec. Cipinang, Jakarta Timur, Senin (27/3). Ketinggian air mencapai 1,5 meter di beberapa titik.
Baca juga: Warga Mengungsi ke Masjid
Warga berharap bantuan segera datang.

"Air mulai naik sejak pukul 03.00 WIB. Kami langsung mengungsi," kata Budi, warga setempat.

Petugas pemadam kebakaran mengerahkan perahu karet untuk mengevakuasi warga. Sebanyak 1.200 warga kini mengungsi di masjid dan sekolah terdekat.

Dinas Sumber Daya Air menyebut hujan deras di Bogor membuat debit Sungai Ciliwung naik. Pompa air di kawasan itu juga sempat mati karena listrik padam.

BPBD DKI
Kepala BPBD DKI Jakarta meminta warga tetap waspada. Hujan diperkirakan turun hingga akhir pekan ini.
"""

SUMMARIZERS = [
    LexRankSummarizer,
    TextRankSummarizer,
    LsaSummarizer,
    LuhnSummarizer,
    KLSummarizer,
    SumBasicSummarizer,
    ReductionSummarizer,
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kota-kota besar di Indonesia.", ["kota-kota", "besar", "di", "indonesia"]),
        ("Pemilik e-KTP wajib lapor!", ["pemilik", "e-ktp", "wajib", "lapor"]),
        ("Salat Jum'at digelar, katanya.", ["salat", "jum'at", "digelar", "katanya"]),
        (
            "Rp1,5 triliun, 1.000 orang, pukul 15.17",
            ["rp1,5", "triliun", "1.000", "orang", "pukul", "15.17"],
        ),
        ("(Ist) - ke - 25; [cob] “Ya” ...", ["ist", "ke", "25", "cob", "ya"]),
        ("Baca_Juga akun Instagram -nya", ["baca", "juga", "akun", "instagram", "nya"]),
        ("kompas.com, nama@domain.co.id", ["kompas", "com", "nama", "domain", "co", "id"]),
        ("", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_raw_words_keep_case() -> None:
    assert raw_words("Presiden Joko Widodo tiba.") == ["Presiden", "Joko", "Widodo", "tiba"]


def test_content_words_drop_stop_words() -> None:
    text = "Menurut dia, harga beras di pasar itu sudah naik karena panen gagal, ujarnya."
    assert content_words(text) == ["harga", "beras", "pasar", "naik", "panen", "gagal"]


def test_stop_words_are_function_words() -> None:
    assert 300 <= len(STOP_WORDS) <= 750
    assert all(w == w.lower() and " " not in w and w for w in STOP_WORDS)
    function_words = "yang dan di ke dari ini itu dengan untuk pada adalah akan tidak juga sudah"
    saying = "telah dalam oleh karena ujar kata ungkap tutur imbuh katanya ujarnya"
    assert set((function_words + " " + saying).split()) <= STOP_WORDS
    content = "presiden jakarta harga rumah banjir warga pemerintah sekolah naik baru salah"
    assert not set(content.split()) & STOP_WORDS


def test_langdata_reads_entries_without_comments() -> None:
    entries = read_entries("abbreviations.txt")
    # Trailing comments are cut and the line trimmed; fields after the entry are kept.
    assert "Dr." in entries and "dll.    end" in entries
    assert not any(e.startswith("#") or not e.strip() for e in entries)
    assert load_wordlist("stopwords.txt") is STOP_WORDS


def test_langdata_missing_file_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match=r"no-such-list\.txt"):
        read_entries("no-such-list.txt")


def test_tokenizer_shape() -> None:
    tokenizer = IndonesianTokenizer()
    assert tokenizer.language == "indonesian"
    assert tokenizer.to_sentences("Ia bertemu Dr. Budi. Lalu pulang.") == (
        "Ia bertemu Dr. Budi.",
        "Lalu pulang.",
    )
    assert tokenizer.to_words("Sebanyak 1.200 warga (Kec. Cipinang) mengungsi!") == (
        "Sebanyak",
        "warga",
        "Kec",
        "Cipinang",
        "mengungsi",
    )


def test_sumy_stemmer_uses_snowball_and_folding() -> None:
    assert sumy_stemmer("Kota-Kota") == stem("kota") == sumy_stemmer("kota")
    assert sumy_stemmer("Pemerintahan") == stem("pemerintahan")


@pytest.fixture
def no_nltk_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """Make every NLTK data lookup fail loudly, and record any that is attempted."""
    attempts: list[str] = []

    def refuse(resource: str, *args: object, **kwargs: object) -> None:
        attempts.append(resource)
        raise LookupError(f"test forbids NLTK data: {resource}")

    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    yield attempts
    assert attempts == []


def test_plaintext_parser_with_our_tokenizer(no_nltk_data: list[str]) -> None:
    document = PlaintextParser.from_string(ARTICLE, IndonesianTokenizer()).document
    sentences = [str(s) for s in document.sentences]
    # PlaintextParser glues the lines of a paragraph before splitting, so the lone
    # "Baca juga" line swallows the sentence after it, and it turns the all-caps line
    # "BPBD DKI" into a heading, which no summarizer picks.
    assert "Baca juga: Warga Mengungsi ke Masjid Warga berharap bantuan segera datang." in sentences
    assert "Ketinggian air mencapai 1,5 meter di beberapa titik." in sentences
    assert [str(h) for h in document.headings] == ["BPBD DKI"]
    # A quotation and its attribution stay one sentence.
    assert '"Air mulai naik sejak pukul 03.00 WIB. Kami langsung mengungsi," kata Budi, warga setempat.' in sentences


def test_build_document_keeps_lines_as_sentences(no_nltk_data: list[str]) -> None:
    document = build_document(ARTICLE)
    sentences = [str(s) for s in document.sentences]
    assert len(document.paragraphs) == 6
    assert document.headings == ()
    assert sentences[0] == "Banjir Rendam Ratusan Rumah"
    assert "Ketinggian air mencapai 1,5 meter di beberapa titik." in sentences
    assert "Baca juga: Warga Mengungsi ke Masjid" in sentences
    assert "Warga berharap bantuan segera datang." in sentences
    assert "BPBD DKI" in sentences
    assert document.sentences[1].words[:4] == ("JAKARTA", "KOMPAS", "com", "Banjir")


@pytest.mark.parametrize("summarizer_class", SUMMARIZERS, ids=lambda c: c.__name__)
def test_every_sumy_summarizer_runs_offline(summarizer_class: type, no_nltk_data: list[str]) -> None:
    summarizer = summarizer_class(sumy_stemmer)
    summarizer.stop_words = STOP_WORDS
    for document in (
        build_document(ARTICLE),
        PlaintextParser.from_string(ARTICLE, IndonesianTokenizer()).document,
    ):
        picked = summarizer(document, 3)
        assert len(picked) == 3
        assert {str(s) for s in picked} <= {str(s) for s in document.sentences}


def test_sumy_on_the_seed_page(no_nltk_data: list[str]) -> None:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED} (the shared data directory is absent)")
    document = build_document(SEED.read_text(encoding="utf-8"))
    summarizer = LexRankSummarizer(sumy_stemmer)
    summarizer.stop_words = STOP_WORDS
    assert len(summarizer(document, 3)) == 3
