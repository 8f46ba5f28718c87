"""The pair features of one article with many members at once: ``pair_features``, vectorized.

Grouping compares a new article with up to a hundred members of its candidate stories; done
pair by pair in Python (``bot.store.pairs.pair_features``, the reference the models are trained
on) that took longer than the rest of grouping together. Here each fingerprint is **packed**
once (its vectors as sorted term hashes and weights with their norms, its wording hashes as an
array; a story's members are packed when their stored print is first read, see
``bot.store.stories``) and the cosines of all members come from a few numpy operations over the
members' terms laid end to end. Python's string hash is fixed within a process, which is as
long as a packed print lives. Pure logic.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.store.pairs import FEATURES, MAX_HOURS, Fingerprint
from bot.store.storyvec import Vector

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Packed:
    """A vector as sorted term hashes, their weights and its norm."""

    keys: np.ndarray
    weights: np.ndarray
    norm: float


@dataclass(frozen=True)
class PackedPrint:
    """A fingerprint with its three vectors and its wording hashes as arrays."""

    print: Fingerprint
    body: Packed
    title: Packed
    lead: Packed
    shingles: np.ndarray


def _pack_vector(vector: Vector) -> Packed:
    import numpy as np

    keys = np.fromiter((hash(t) for t in vector), dtype=np.int64, count=len(vector))
    weights = np.fromiter(vector.values(), dtype=float, count=len(vector))
    order = np.argsort(keys)
    return Packed(keys[order], weights[order], math.sqrt(float(weights @ weights)))


def pack(print_: Fingerprint) -> PackedPrint:
    """The fingerprint packed for ``pair_rows``."""
    import numpy as np

    shingles = np.asarray(print_.shingles, dtype=np.uint64)
    return PackedPrint(
        print_, _pack_vector(print_.body), _pack_vector(print_.title), _pack_vector(print_.lead), shingles
    )


class _Side:
    """One vector kind of all members, laid end to end: keys, weights, the member each belongs to, norms."""

    def __init__(self, vectors: Sequence[Packed]) -> None:
        import numpy as np

        self.keys = np.concatenate([v.keys for v in vectors])
        self.weights = np.concatenate([v.weights for v in vectors])
        self.owner = np.repeat(np.arange(len(vectors)), [len(v.keys) for v in vectors])
        self.norms = np.array([v.norm for v in vectors])
        self.count = len(vectors)

    def cosines(self, one: Packed) -> np.ndarray:
        """The cosine of ``one`` with each member's vector (0 where either is empty)."""
        import numpy as np

        out = np.zeros(self.count)
        if not len(one.keys) or not len(self.keys):
            return out
        at = np.minimum(np.searchsorted(one.keys, self.keys), len(one.keys) - 1)
        hit = one.keys[at] == self.keys
        dots = np.bincount(self.owner[hit], self.weights[hit] * one.weights[at[hit]], minlength=self.count)
        norms = self.norms * one.norm
        np.divide(dots, norms, out=out, where=norms > 0)
        return out


def pair_rows(
    a: PackedPrint, a_at: datetime, a_outlet: str, members: Sequence[tuple[PackedPrint, datetime, str]]
) -> np.ndarray:
    """The rows of ``pair_features(a, …, member, …)`` for every member, as one array."""
    import numpy as np

    rows = np.zeros((len(members), len(FEATURES)))
    if not members:
        return rows
    prints = [m[0] for m in members]
    body, title, lead = (
        _Side([p.body for p in prints]),
        _Side([p.title for p in prints]),
        _Side([p.lead for p in prints]),
    )
    rows[:, 0] = body.cosines(a.body)
    rows[:, 1] = title.cosines(a.title)
    rows[:, 2] = lead.cosines(a.lead)
    rows[:, 3] = (body.cosines(a.title) + title.cosines(a.body)) / 2
    rows[:, 4] = (lead.cosines(a.title) + title.cosines(a.lead)) / 2
    mine = a.print
    listed = []
    for other, at, outlet in members:
        b = other.print
        names = len(mine.names & b.names)
        numbers = len(mine.numbers & b.numbers)
        listed.append(
            (
                min(names, 5),
                names / (len(mine.names | b.names) or 1),
                min(numbers, 5),
                bool(mine.numbers) and bool(b.numbers) and not numbers,
                mine.stated is not None and mine.stated == b.stated,
                mine.stated is not None and b.stated is not None and mine.stated != b.stated,
                min(abs((a_at - at).total_seconds()) / 3600, MAX_HOURS),
                a_outlet == outlet,
            )
        )
    rows[:, 5:13] = listed
    rows[:, 13] = _copy_shares(a.shingles, [p.shingles for p in prints])
    return rows


def _copy_shares(mine: np.ndarray, others: Sequence[np.ndarray]) -> np.ndarray:
    """``copy_share`` of the article's wording hashes with each member's (0 where they differ in length)."""
    import numpy as np

    out = np.zeros(len(others))
    if not len(mine):
        return out
    alike = [k for k, o in enumerate(others) if len(o) == len(mine)]
    if alike:
        out[alike] = (np.stack([others[k] for k in alike]) == mine).mean(axis=1)
    return out
