"""``ringkas summarize`` and ``ringkas eval`` as a user runs them, including every bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bot.httpserver import LocalServer, closed_port, respond
from tests.shared_data import SEED

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = (
    "Pemerintah Kota Bandung meresmikan jembatan baru di atas Sungai Cikapundung pada Senin (27/3). "
    "Jembatan sepanjang 120 meter itu dibangun dengan anggaran Rp15,5 miliar.\n\n"
    '"Jembatan ini akan memperlancar arus lalu lintas warga," ujar Wali Kota Bandung di lokasi.\n\n'
    "Pembangunan jembatan dimulai sejak Agustus tahun lalu dan sempat tertunda karena hujan. "
    "Warga sekitar menyambut baik peresmian jembatan tersebut.\n\n"
    "Dinas Pekerjaan Umum memastikan jembatan aman dilalui kendaraan hingga 10 ton. "
    "Pemeriksaan berkala akan dilakukan setiap enam bulan."
)


def ringkas(*args: str, stdin: bytes | None = None, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, env=full, cwd=cwd, timeout=120
    )


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as s:
        yield s


def test_seed_page_json() -> None:
    if not SEED.is_file():
        pytest.skip(f"{SEED} is absent (../shared is not beside this checkout)")
    out = ringkas("summarize", str(SEED), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["title"] == "Keamanan Siber dan Smart City Jadi Fokus KTT ASEAN"
    assert result["author"] == "Irene Harty"
    assert result["published"] == "2018-04-20T15:17:00+07:00"
    assert 2 <= len(result["sentences"]) <= 4 and result["method"]
    body = SEED.read_text(encoding="utf-8")
    start = body.index("KEMENTERIAN Luar Negeri")
    end = body.index("Arrmanatha Nasir.") + len("Arrmanatha Nasir.")
    article = " ".join(body[start:end].split())
    for sentence in result["sentences"]:
        assert sentence in article and "(OL-2)" not in sentence and "(Ist)" not in sentence


def test_plain_output_stdin_and_n(tmp_path: Path) -> None:
    out = ringkas("summarize", "-", "-n", "2", stdin=ARTICLE.encode())
    lines = out.stdout.decode().splitlines()
    assert out.returncode == 0 and len(lines) == 2
    flat = " ".join(ARTICLE.split())
    assert all(line in flat for line in lines)
    assert flat.index(lines[0]) < flat.index(lines[1])  # original order


def test_html_file_and_url(tmp_path: Path, server: LocalServer) -> None:
    page = (
        "<html><head><title>Jembatan Baru | Kabar</title></head><body><nav>Beranda</nav><article><h1>Jembatan Baru</h1>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
        + "</article><footer>Hak cipta</footer></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    from_file = ringkas("summarize", str(tmp_path / "page.html"), "--json")
    assert from_file.returncode == 0, from_file.stderr
    assert json.loads(from_file.stdout)["sentences"]
    server.route("/berita", respond(page.encode(), headers={"Content-Type": "text/html; charset=utf-8"}))
    from_url = ringkas("summarize", server.url("/berita"), "--json", RINGKAS_ALLOW_PRIVATE_URLS="true")
    assert from_url.returncode == 0, from_url.stderr
    assert json.loads(from_url.stdout)["sentences"] == json.loads(from_file.stdout)["sentences"]


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    text = "\u201cKami siap,\u201d kata pemilik kafe di Bandung. Menu baru: caf\u00e9 au lait \u2013 Rp25.000."
    (tmp_path / "legacy.txt").write_bytes(text.encode("cp1252"))
    out = ringkas("summarize", str(tmp_path / "legacy.txt"), "-n", "5")
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().splitlines() == [
        "\u201cKami siap,\u201d kata pemilik kafe di Bandung.",
        "Menu baru: caf\u00e9 au lait \u2013 Rp25.000.",
    ]


def test_jsonl_batch(tmp_path: Path) -> None:
    lines = [{"id": "a", "text": ARTICLE}, {"text": "Satu kalimat saja."}, {"id": 7, "text": ""}]
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    out = ringkas("summarize", "--jsonl", str(tmp_path / "in.jsonl"), "-n", "2", "-o", str(tmp_path / "out.jsonl"))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, 7]
    assert (
        len(rows[0]["sentences"]) == 2 and rows[1]["sentences"] == ["Satu kalimat saja."] and rows[2]["sentences"] == []
    )


def test_eval_prints_a_rouge_table(tmp_path: Path) -> None:
    lines = [
        {"text": ARTICLE, "summary": "Pemerintah Kota Bandung meresmikan jembatan baru di atas Sungai Cikapundung."}
    ]
    (tmp_path / "dev.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    out = ringkas("eval", str(tmp_path / "dev.jsonl"), "--method", "lead3", "--method", "default")
    assert out.returncode == 0, out.stderr
    table = out.stdout.decode()
    assert "lead3" in table and "default" in table and "ROUGE" in table.upper()


@pytest.mark.parametrize(
    "case", ["missing", "directory", "binary", "undecodable", "huge", "url", "empty-jsonl", "bad-n"]
)
def test_bad_input_is_one_line_and_status_2(tmp_path: Path, case: str) -> None:
    args: tuple[str, ...]
    if case == "missing":
        args, expected = (str(tmp_path / "nope.txt"),), "no such file"
    elif case == "directory":
        args, expected = (str(tmp_path),), "directory"
    elif case == "binary":
        (tmp_path / "x.bin").write_bytes(bytes(range(256)) * 50)
        args, expected = (str(tmp_path / "x.bin"),), "binary"
    elif case == "undecodable":
        (tmp_path / "x.txt").write_bytes(b"Berita \x81\x8d\x8f\x90\x9d rusak " * 10)
        args, expected = (str(tmp_path / "x.txt"),), "undecodable"
    elif case == "huge":
        (tmp_path / "big.txt").write_bytes(b"a" * (50 * 1024 * 1024))
        args, expected = (str(tmp_path / "big.txt"),), "too large"
    elif case == "url":
        args, expected = (f"http://127.0.0.1:{closed_port()}/x",), "127.0.0.1"
    elif case == "empty-jsonl":
        (tmp_path / "in.jsonl").write_text("not json\n", encoding="utf-8")
        args, expected = ("--jsonl", str(tmp_path / "in.jsonl")), "not JSON"
    else:
        args, expected = ("-", "-n", "0"), "-n must be at least 1"
    out = ringkas("summarize", *args, stdin=b"", RINGKAS_ALLOW_PRIVATE_URLS="true")
    err = out.stderr.decode()
    assert out.returncode == 2, (case, err)
    assert expected in err and "Traceback" not in err and err.strip().count("\n") == 0, err


def test_words_sets_the_length_and_n_stays_a_maximum() -> None:
    from summarizer.lang.words import word_count

    short = ringkas("summarize", "-", "--words", "15", stdin=ARTICLE.encode()).stdout.decode().splitlines()
    long = ringkas("summarize", "-", "--words", "200", "-n", "3", stdin=ARTICLE.encode()).stdout.decode().splitlines()
    assert len(short) == 1 and len(long) == 3
    assert sum(map(word_count, short)) < sum(map(word_count, long))
    bad = ringkas("summarize", "-", "--words", "0", stdin=ARTICLE.encode())
    assert bad.returncode == 2 and "--words must be at least 1" in bad.stderr.decode()


def test_eval_shows_mean_words(tmp_path: Path) -> None:
    lines = [{"text": ARTICLE, "summary": "Pemerintah Kota Bandung meresmikan jembatan baru."}]
    (tmp_path / "dev.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    out = ringkas("eval", str(tmp_path / "dev.jsonl"), "--method", "lead3", "--words", "40")
    assert out.returncode == 0, out.stderr
    assert "| words |" in out.stdout.decode()
