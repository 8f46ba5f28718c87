"""Synthetic Indonesian news feeds for bot and ingestion tests: RSS bytes built from plain items.

The texts are written for these tests (no outlet's copyright): each article has a lead, a
quote with attribution and a few body sentences, long enough to count as full text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

BODY = (
    "Petugas gabungan dari BPBD, TNI dan Polri dikerahkan untuk membantu warga sejak pagi. "
    "Sejumlah posko pengungsian didirikan di sekolah dan balai desa terdekat.\n\n"
    '"Kami terus memantau perkembangan di lapangan dan meminta warga tetap waspada," ujar Kepala '
    "Pelaksana BPBD setempat, Dr. H. Suryanto, M.Si., di Jakarta, Senin (27/3).\n\n"
    "Menurut data sementara, lebih dari 1.200 rumah terdampak dan kerugian ditaksir mencapai Rp1,5 "
    "miliar. Pemerintah daerah menyiapkan bantuan logistik berupa beras, air bersih, selimut dan obat-obatan.\n\n"
    "Badan Meteorologi, Klimatologi, dan Geofisika memperkirakan cuaca ekstrem masih berpotensi terjadi "
    "hingga akhir pekan. Warga diminta menghindari bantaran sungai dan segera melapor bila melihat tanda bahaya.\n\n"
    "Sementara itu, anggota DPRD meminta pemerintah pusat mempercepat penyaluran dana darurat. "
    "Ia menilai koordinasi antarlembaga perlu diperbaiki agar penanganan bencana lebih cepat dan tepat sasaran."
)


@dataclass
class Item:
    """One feed item."""

    title: str
    link: str
    published: datetime
    lead: str
    body: str = BODY
    guid: str | None = None
    categories: list[str] = field(default_factory=list)
    image: str | None = None  # served as an image <enclosure>, as detik's feeds do

    @property
    def text(self) -> str:
        """The full article text."""
        return f"{self.lead}\n\n{self.body}"


def rss(items: list[Item], *, title: str = "Kabar Uji", link: str = "https://kabar.example/") -> bytes:
    """An RSS 2.0 document with content:encoded full texts."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>uji</description>",
    ]
    for item in items:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in item.text.split("\n\n"))
        parts.append(
            "<item>"
            f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f"<guid>{escape(item.guid or item.link)}</guid>"
            f"<pubDate>{format_datetime(item.published)}</pubDate>"
            f"<description>{escape(item.lead)}</description>"
            f"<content:encoded><![CDATA[{paragraphs}]]></content:encoded>"
            + (f'<enclosure url="{escape(item.image)}" length="0" type="image/jpeg"/>' if item.image else "")
            + "</item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")
