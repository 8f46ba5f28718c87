"""``ringkas summarize`` edge cases from issue #8: output files are never lost, inputs with no
article text fail clearly, non-finite JSON numbers are refused, UTF-16/32 text with a BOM is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bot.cli.test_cli_summarize import ARTICLE, ringkas


def write_jsonl(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_output_naming_the_input_is_refused_and_the_input_kept(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": ARTICLE})])
    before = source.read_bytes()
    out = ringkas("summarize", "--jsonl", str(source), "-o", str(source))
    err = out.stderr.decode()
    assert out.returncode == 2 and "input file" in err and err.count("\n") == 1, err
    assert source.read_bytes() == before


def test_a_missing_input_leaves_an_existing_output_alone(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").write_text("lama\n", encoding="utf-8")
    out = ringkas("summarize", "--jsonl", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "out.jsonl"))
    assert out.returncode == 2 and "no such file" in out.stderr.decode()
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "lama\n"


def test_a_bad_line_late_in_the_input_leaves_the_old_output_and_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").write_text("lama\n", encoding="utf-8")
    source = write_jsonl(tmp_path / "in.jsonl", [json.dumps({"text": ARTICLE}), "{rusak"])
    out = ringkas("summarize", "--jsonl", str(source), "-o", str(tmp_path / "out.jsonl"))
    assert out.returncode == 2 and "in.jsonl:2" in out.stderr.decode()
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "lama\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused_with_the_line_number(tmp_path: Path, constant: str) -> None:
    source = write_jsonl(
        tmp_path / "in.jsonl", [json.dumps({"id": 1, "text": ARTICLE}), f'{{"id": {constant}, "text": "Teks."}}']
    )
    out = ringkas("summarize", "--jsonl", str(source))
    err = out.stderr.decode()
    assert out.returncode == 2 and f"in.jsonl:2: not JSON (non-finite number {constant})" in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"<html><head><title>Kosong</title></head></html>",
        b"<html><body><script>var berita = 'tidak ada';</script></body></html>",
    ],
    ids=["empty", "no-body", "script-only"],
)
def test_no_article_text_is_status_2_and_one_line(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "page.html").write_bytes(content)
    out = ringkas("summarize", str(tmp_path / "page.html"))
    err = out.stderr.decode()
    assert out.returncode == 2 and out.stdout == b"", err
    assert err.strip() == "ringkas: no article text found", err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-16-be-bom"])
def test_utf16_and_utf32_with_a_byte_order_mark_are_read(tmp_path: Path, encoding: str) -> None:
    data = b"\xfe\xff" + ARTICLE.encode("utf-16-be") if encoding == "utf-16-be-bom" else ARTICLE.encode(encoding)
    (tmp_path / "wide.txt").write_bytes(data)
    out = ringkas("summarize", str(tmp_path / "wide.txt"), "-n", "1")
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.decode().strip() in " ".join(ARTICLE.split())


def test_json_gives_a_date_without_a_time_as_a_date(tmp_path: Path) -> None:
    page = ("<html><head><title>Banjir Rendam Kemang</title>"
            '<meta property="article:published_time" content="2018-06-14"></head><body>'
            f"<h1>Banjir Rendam Kemang</h1><article><p>{ARTICLE}</p></article></body></html>")  # fmt: skip
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    out = ringkas("summarize", str(tmp_path / "page.html"), "--json")
    assert out.returncode == 0, out.stderr.decode()
    assert json.loads(out.stdout)["published"] == "2018-06-14"  # not an invented midnight


def test_json_for_a_page_without_prose_says_why_and_exits_0(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Foto: Banjir Rendam Kemang</title>"
        '<meta property="article:published_time" content="2018-06-14T10:05:00+07:00"></head>'
        "<body><h1>Foto: Banjir Rendam Kemang</h1><div>telah dilihat 3584 kali</div></body></html>"
    )
    (tmp_path / "gallery.html").write_text(page, encoding="utf-8")
    out = ringkas("summarize", str(tmp_path / "gallery.html"), "--json")
    assert out.returncode == 0, out.stderr.decode()
    answer = json.loads(out.stdout)
    assert answer["sentences"] == [] and answer["reason"] and answer["published"] == "2018-06-14T10:05:00+07:00"
    assert "dilihat" not in json.dumps(answer)
    plain = ringkas("summarize", str(tmp_path / "gallery.html"))
    assert plain.returncode == 2 and plain.stderr.decode().strip() == "ringkas: no article text found"
