"""Indonesian affixation: the forms a root takes with prefixes, suffixes and clitics.

Prefixes follow the standard sound changes: the nasal of meN- and peN- assimilates to the
root's first sound and replaces a voiceless p, t, s or k (peN- + tipu -> penipu, meN- + pilih
-> memilih; loanwords keep theirs: memproduksi), one-syllable roots take menge- (mengebom),
and ber-, per- and ter- lose their r before a root in r (berenang). Two prefixes stack as
Indonesian stacks them (memperbaiki, pemberdayaan, keberhasilan, berkelanjutan). The forms are
generated generously: a form no one writes costs nothing, since it matches no text;
``summarizer.lang.families`` takes out the forms that belong to other words.
"""

from __future__ import annotations

import re
from functools import lru_cache

VOWELS = frozenset("aeiou")
SUFFIXES = ("", "an", "kan", "i")
# Clitics a headline or summary carries ("Harganya", "Benarkah"); -ku and -mu are left out, rare
# in news and each a fifth more forms to keep.
CLITICS = ("", "nya", "lah", "kah", "pun")
# The one root taking bel- and pel- instead of ber- and per-: belajar, pelajar, mempelajari.
_BEL_ROOTS = frozenset({"ajar"})
# A root whose first syllable closes in -er takes be-: bekerja, beternak, bepergian.
_ER_SYLLABLE = re.compile(r"^[^aeiou]*er[^aeiou]")


_VOWEL_GROUP = re.compile(r"[aeiou]+")


def _syllables(root: str) -> int:
    """How many vowel groups a root has (one-syllable roots take menge-: mengebom)."""
    return len(_VOWEL_GROUP.findall(root))


def _nasal(base: str, root: str) -> set[str]:
    """meN- or peN- (``base`` "me" or "pe") on a root, with the nasal's sound changes."""
    first, rest = root[0], root[1:]
    if first in VOWELS:
        forms = {"ng" + root}
    elif first in "bfv":
        forms = {"m" + root}
    elif first == "p":  # memilih; loanwords keep the p: memproduksi
        forms = {"m" + rest, "m" + root}
    elif first in "dcjz":
        forms = {"n" + root}
    elif first == "t":  # menulis; mentransfer
        forms = {"n" + rest, "n" + root}
    elif first == "s":  # menyapu; mensosialisasikan
        forms = {"ny" + rest, "n" + root}
    elif first == "k":  # mengirim; mengkritik
        forms = {"ng" + rest, "ng" + root}
    elif first in "gh":
        forms = {"ng" + root}
    else:  # l, m, n, r, w, y, ny, ng: melihat, merawat, menyanyi, pemudik
        forms = {root}
    if _syllables(root) == 1:
        forms.add("nge" + root)  # mengebom, pengecat
    return {base + form for form in forms}


def _r_prefix(prefix: str, root: str) -> set[str]:
    """ber-, per- or ter- on a root: the r merges into a root's own r (berenang, terasa)."""
    forms = {prefix + root}
    if root.startswith("r"):
        forms.add(prefix[:-1] + root)
    if prefix == "ber" and _ER_SYLLABLE.match(root):
        forms.add("be" + root)
    if root in _BEL_ROOTS and prefix in ("ber", "per"):
        forms.add(prefix[:-1] + "l" + root)
    return forms


@lru_cache(maxsize=4096)
def _prefixed(root: str) -> frozenset[str]:
    """The root with each prefix and each two-prefix stack Indonesian uses."""
    ber, per, ter = _r_prefix("ber", root), _r_prefix("per", root), _r_prefix("ter", root)
    pen = _nasal("pe", root) | {"pe" + root}  # peN- and the plain pe- of petani, pemudik
    ke, se = {"ke" + root}, {"se" + root}
    forms = {root, "di" + root} | ke | se | ber | per | ter | pen | _nasal("me", root)
    for inner in ber | per:  # diperbaiki, memperbaiki, pemberdayaan
        forms |= {"di" + inner} | _nasal("me", inner) | _nasal("pe", inner)
    for inner in ber | ter | pen | se | per:  # keberhasilan, keterlambatan, kepemimpinan
        forms.add("ke" + inner)
    forms |= {form for inner in ke for form in _r_prefix("ber", inner)}  # berkelanjutan
    return frozenset(forms)


# Every ending a form may have: a suffix, then a clitic.
_ENDINGS = frozenset(suffix + clitic for suffix in SUFFIXES for clitic in CLITICS)


def generate(root: str) -> frozenset[str]:
    """Every prefixed, suffixed and clitic-bearing form of a root."""
    return frozenset(prefixed + ending for prefixed in _prefixed(root) for ending in _ENDINGS)


def produces(root: str, word: str) -> bool:
    """Whether ``generate(root)`` holds the word, without generating every form."""
    return any(word.startswith(prefixed) and word[len(prefixed) :] in _ENDINGS for prefixed in _prefixed(root))
