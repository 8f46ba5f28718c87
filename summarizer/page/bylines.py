"""Bylines and titles as Indonesian news pages write them.

Bylines come as "Penulis: X", "Reporter: X | Editor: Y", "Oleh X", "Pewarta Nur Imansyah",
"X - detikNews", "Laporan Wartawan Tribunnews.com, X", "X, Jurnalis" or a bare name beside
the date, and name writers, editors and photographers (labels in data/bylines.txt); only
writers are authors. Organisations ("Kompas Cyber Media", "PT VIVA MEDIA BARU",
data/organisations.txt) are never authors. Titles live in summarizer/page/titles.py, dates in
summarizer/lang/dates.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.lang.langdata import read_entries
from summarizer.page.boilerplate import is_boilerplate, is_site

ROLES = ("writer", "editor", "photo")
_LABELS: dict[str, str] = {
    label: role for role, label in (entry.split(None, 1) for entry in read_entries("bylines.txt"))
}
_LABEL_ALTERNATIVES = "(?:" + "|".join(sorted(_LABELS, key=len, reverse=True)) + ")"
# JPNN's "Redaktur & Reporter : Boy": one name under two labels.
_LABEL_JOINER = re.compile(r"\s*(?:&|,|\bdan\b)\s*", re.IGNORECASE)
_LABELLED = re.compile(
    rf"^(?P<label>{_LABEL_ALTERNATIVES}(?:{_LABEL_JOINER.pattern}{_LABEL_ALTERNATIVES})*)\b\.?"
    r"(?:\s*:\s*|\s+)(?P<name>.+)$",
    re.IGNORECASE,
)
_LABEL_RES = tuple((re.compile(label, re.IGNORECASE), role) for label, role in _LABELS.items())
_ORGANISATIONS = tuple(re.compile(p, re.IGNORECASE) for p in read_entries("organisations.txt"))
# Tribun's "Laporan Wartawan Tribunnews.com, Gita Irawan".
_REPORTED_BY = re.compile(
    r"^laporan\s+(?:wartawan|reporter|koresponden)\s+[^,]{1,60},\s*(?P<name>.+)$"
    # GNFI's columns: "Written for Good News From Indonesia by A. Cholis Hamzah".
    r"|^(?:written|ditulis)\s+(?:for|untuk)\s+.{1,60}?\s+(?:by|oleh)\s+(?P<columnist>.+)$",
    re.IGNORECASE,
)
# " | ", " - ", " · " between byline parts, and Republika's "Rep: X/ Red: Y".
_PART_SEPARATOR = re.compile(r"\s+[|•·/–—-]{1,2}\s+|\s*[|•·]\s*|\s*/\s*(?=(?:red|editor)\s*:)", re.IGNORECASE)
# Okezone's "Irene Harty, Jurnalis" and "Irene Harty Jurnalis": a name, then the writer's role.
_NAME_WITH_ROLE = re.compile(r"^(?P<name>[^,]+?)\s*,?\s+(?:jurnalis|wartawan|reporter|kontributor)\b.*$", re.IGNORECASE)
# What follows a name in a byline: "pada <date>", " | Editor: Y", ", Jurnalis".
_NAME_CUT = re.compile(
    r"\s+(?:pada|on|di|dari|-)\s+.*$|\s*[|•·].*$|\s*[,;]?\s+(?:jurnalis|wartawan|reporter)\b.*$"
    r"|\s+(?:ikuti|follow)\b.*$",  # Goal's "OLEH DIMAS PANJI SETYADI Ikuti di twitter"
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.?|bin|binti|van|der|de|al|el|dan|&)$")
_CAPS_NAME = re.compile(r"^[A-Z][A-Z.'’-]*(?:\s+[A-Z][A-Z.'’-]*){1,3}$")
# Words of page furniture that no person's name contains, for names standing bare on a line.
_PAGE_WORDS = frozenset({"detail", "artikel", "berita", "terkini", "terbaru", "populer", "beranda", "home",
                         "indeks", "kategori", "topik", "video", "foto", "galeri", "news", "komentar",
                         # share buttons beside a date line: "Facebook Twitter WhatsApp"
                         "facebook", "twitter", "whatsapp", "instagram", "telegram", "linkedin"})  # fmt: skip
MAX_NAME_WORDS = 8
MAX_NAME_CHARS = 80
MAX_BARE_NAME_WORDS = 4


@dataclass(frozen=True)
class Credit:
    """A name in a byline and its role: writer, editor or photo."""

    role: str
    name: str


def _role(label: str) -> str:
    """The role of a byline label; under joined labels the writer's role wins."""
    roles = [
        next(role for regex, role in _LABEL_RES if regex.fullmatch(part)) for part in _LABEL_JOINER.split(label.strip())
    ]
    return "writer" if "writer" in roles else roles[0]


def is_organisation(name: str) -> bool:
    """Whether a name is an organisation (publisher, desk, outlet) rather than a person."""
    name = name.strip()
    return is_site(name) or any(regex.fullmatch(name) for regex in _ORGANISATIONS)


def is_name(text: str, *, bare: bool = False) -> bool:
    """Whether text looks like a person's name (or a few, joined by commas or "dan")."""
    text = text.strip()
    if not text or len(text) > MAX_NAME_CHARS or any(ch.isdigit() for ch in text):
        return False
    if text[-1] in '!?:;"”' or is_organisation(text):
        return False
    words = text.replace(",", " ").split()
    limit = MAX_BARE_NAME_WORDS if bare else MAX_NAME_WORDS
    if not words or len(words) > limit or (bare and len(words) < 2):
        return False
    if text.isupper() and bare:
        return False  # capitalised section labels ("HEADLINE") are not bylines
    if bare and any(word.casefold() in _PAGE_WORDS for word in words):
        return False  # "Detail Artikel", "Berita Terkini" beside a date are page furniture
    # A connector alone ("&", "dan") is what is left of a joined label, not a name.
    return all(_NAME_WORD.match(word) for word in words) and any(w[0].isupper() for w in words)


def _clean_name(name: str) -> str:
    name = _NAME_CUT.sub("", without_place(name)).strip(" ,;:-–—()/")
    return name.title() if name.isupper() and len(name.split()) > 1 else name  # "DIMAS PANJI" -> "Dimas Panji"


def clean_author(name: str | None) -> str | None:
    """A person's name from a metadata author field, its label dropped; None for organisations."""
    if not name:
        return None
    name = " ".join(name.split())
    labelled = _LABELLED.match(name)
    if labelled:
        if _role(labelled["label"]) != "writer":
            return None
        name = labelled["name"]
    name = _clean_name(name)
    return name if is_name(name) else None


# VIVA's "Harry Siswoyo, Angkotasan (Ambon)": a contributor's town in brackets after the names.
_PLACE = re.compile(r"\s*\([A-Z][a-z]{2,}(?: [A-Z][a-z]{2,})?\)$")  # "(Ambon)", "(Bandung)"; not "(c)"


def without_place(text: str) -> str:
    """Text without a town in brackets at its end. A bracket repeating a word of what it follows
    is a photo credit, not a town: Otosia's caption "Honda Jazz (Honda India)" stays as it is,
    and so is no name."""
    text = text.strip()
    found = _PLACE.search(text)
    if found is None:
        return text
    head = text[: found.start()]
    if set(found.group().strip(" ()").split()) & set(head.replace(",", " ").split()):
        return text
    return head


# Kompas's "Kontributor Gorontalo, Rosyid A Azhar": a correspondent's post, then the name
# (with a colon, "Kontributor: A B, C D" names two people and is left alone).
_POSTED_LABEL = re.compile(r"^(?:kontributor|koresponden)$", re.IGNORECASE)
_POST = re.compile(r"^(?P<post>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?),\s*(?P<name>\S+\s+\S.*)$")


def _without_post(label: str, name: str) -> str:
    """The name without the place a correspondent is posted at, when the label is one of theirs."""
    posted = _POST.match(name) if _POSTED_LABEL.match(label.strip()) else None
    return posted["name"] if posted and is_name(posted["name"], bare=True) else name


def credits_in_line(line: str) -> list[Credit]:
    """Every labelled name in a byline line ("Penulis: X | Editor: Y", "Fotografer: Z")."""
    if len(line) > MAX_NAME_CHARS * 2:
        return []
    reported = _REPORTED_BY.match(line)
    name = _clean_name(reported["name"] or reported["columnist"]) if reported else ""
    if name and is_name(name):
        return [Credit("writer", name)]
    found = []
    # Akurat's "/ Penulis. Muslimin": a separator left at the start of the line.
    for part in (p.strip(" /|•·–—-") for p in _PART_SEPARATOR.split(line)):
        labelled = _LABELLED.match(part)
        if labelled:
            name = _clean_name(labelled["name"])
            if not part[labelled.end("label") :].lstrip(" .").startswith(":"):  # "Kontributor Kupang, X"
                name = _without_post(labelled["label"], name)
            if is_name(name):
                found.append(Credit(_role(labelled["label"]), name))
            continue
        with_role = _NAME_WITH_ROLE.match(part)
        if with_role and is_name(with_role["name"], bare=True):
            found.append(Credit("writer", with_role["name"].strip()))
    return found


# A role printed on its own line beside the name: Okezone's "Fahmi Firdaus" / "Jurnalis".
_LONE_LABELS = frozenset({"penulis", "reporter", "wartawan", "jurnalis", "kontributor", "pewarta",
                          "editor", "redaktur", "penyunting", "fotografer", "videografer"})  # fmt: skip
_ROLE_AFTER_NAME = re.compile(r"^(?:jurnalis|wartawan|reporter|kontributor)$", re.IGNORECASE)


def join_split_bylines(paragraphs: list[str]) -> list[str]:
    """Rejoin bylines whose label and name sit on separate lines ("Penulis:" / "Dian M.", "Y" / "Editor")."""
    joined: list[str] = []
    index = 0
    while index < len(paragraphs):
        text = paragraphs[index]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        bare_label = text.rstrip(" :").strip()
        # Short labels ("By", "Video", "Oleh") alone on a line are menus or words, not bylines.
        spelled_out = text.endswith(":") or bare_label.casefold() in _LONE_LABELS
        if following and spelled_out and _LABELLED.match(f"{bare_label}: x") and (is_name(without_place(following))):
            joined.append(f"{bare_label}: {following.strip()}")
            index += 2
            continue
        role = following.strip(" ,:")
        if following and role.casefold() in _LONE_LABELS and is_name(text, bare=True):
            # Okezone keeps "X, Jurnalis"; Kompas prints the name above its role ("Y" / "Editor").
            after = _ROLE_AFTER_NAME.match(role)
            joined.append(f"{text}, {role}" if after else f"{role}: {text}")
            index += 2
            continue
        joined.append(text)
        index += 1
    return joined


def author_from_line(line: str, credits: Sequence[Credit] | None = None) -> str | None:
    """The writer named in a byline ("Penulis: X | Editor: Y", "X - detikNews"), or None;
    ``credits`` are the line's ``credits_in_line`` where the caller has them already."""
    found = credits_in_line(line) if credits is None else credits
    if found:
        writers = [credit.name for credit in found if credit.role == "writer"]
        return writers[0] if writers else None
    if len(line) > MAX_NAME_CHARS * 2:
        return None
    # "Irene Harty - detikNews" or "Kompas.com - Irene Harty": a name beside an outlet.
    parts = [part.strip() for part in _PART_SEPARATOR.split(line) if part.strip()]
    if len(parts) >= 2 and any(is_site(part) for part in parts):
        for part in parts:
            if not is_site(part) and not _LABELLED.match(part) and is_name(part, bare=True):
                return part
    return None


def caps_byline(line: str) -> str | None:
    """The writer in a capitalised name line closing an article (Tempo's "ANTON SEPTIAN", and
    "DAILY STAR | EXPRESS | FIKRI ARIGI": the sources, then the writer)."""
    text = line.strip()
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > 1 and all(part and part.isupper() for part in parts):
        text = parts[-1]
    if not _CAPS_NAME.match(text) or is_organisation(text) or is_boilerplate(text):
        return None
    if len(text.split()[-1].strip(".")) < 2:
        return None  # "RING I", "JILID II": a numbered heading; initials close no name in capitals
    name = text.title()
    return name if is_name(name, bare=True) else None
