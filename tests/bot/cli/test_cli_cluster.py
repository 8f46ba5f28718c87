"""``ringkas cluster`` as a user runs it: articles in, ``{"id", "story", "thread"}`` lines out.

The articles are written for this test: two reports of one sting on one day, the regent's
detention two days later (the same affair: another story, the same thread), and an unrelated
market report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
STING = (
    "Komisi Pemberantasan Korupsi (KPK) menangkap Bupati Sukamaju Hendra Wijaya dalam operasi tangkap tangan di "
    "Jawa Tengah, Rabu (18/11/2026) malam. Juru bicara KPK membenarkan penangkapan tersebut dan menyebut uang "
    "ratusan juta rupiah turut diamankan dari rumah dinas bupati."
)
ARTICLES = [
    {"id": "a1", "outlet": "alpha", "title": "KPK Tangkap Bupati Sukamaju dalam OTT", "published": "2026-11-18T21:00:00+07:00", "text": STING},
    {"id": "b1", "outlet": "beta", "title": "Bupati Sukamaju Terjaring OTT KPK", "published": "2026-11-18T22:00:00+07:00",
     "text": "KPK menggelar operasi tangkap tangan terhadap Bupati Sukamaju Hendra Wijaya di Jawa Tengah pada Rabu "
             "(18/11/2026) malam. Tim penyidik menyita uang ratusan juta rupiah dari rumah dinas bupati, kata juru bicara KPK."},
    {"id": "c1", "outlet": "gamma", "title": "Harga Cabai Rawit Naik Jelang Lebaran", "published": "2026-11-19T08:00:00+07:00",
     "text": "Harga cabai rawit di pasar induk Kramat Jati naik dua kali lipat menjelang Lebaran, kata pedagang."},
    {"id": "a2", "outlet": "alpha", "title": "KPK Tahan Bupati Sukamaju Hendra Wijaya", "published": "2026-11-20T15:00:00+07:00",
     "text": "KPK resmi menahan Bupati Sukamaju Hendra Wijaya setelah menetapkannya sebagai tersangka suap proyek jalan, "
             "Jumat (20/11/2026). Hendra ditahan selama 20 hari pertama di Rutan KPK, Jakarta, usai diperiksa sejak "
             "operasi tangkap tangan pekan ini."},
]  # fmt: skip


def test_cluster_writes_story_and_thread_per_article(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "cluster", str(source), "-o", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert list(rows) == ["a1", "b1", "c1", "a2"] and all(set(r) == {"id", "story", "thread"} for r in rows.values())
    assert rows["a1"]["story"] == rows["b1"]["story"] != rows["a2"]["story"]
    assert rows["a1"]["thread"] == rows["a2"]["thread"] != rows["c1"]["thread"]


def test_cluster_names_the_line_it_cannot_read(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(ARTICLES[0]) + "\n{not json\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "cluster", str(source)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 2 and "2" in done.stderr and "Traceback" not in done.stderr
