"""/sumber by media group: a button per group on the /sumber keyboard, and
``/sumber grup Emtek mati|nyala`` (``/sources group Emtek off|on``) in words.

A group is ☑ when all its feeds are in the digest, ☐ when none is, ◐ when some are; pressing it
excludes the whole group unless none of it is included, then includes it all again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton

from bot.store.feedgroups import feeds_by_group, set_feeds_excluded
from bot.store.models import Feed, Subscriber
from bot.store.subscribers import exclusions
from bot.telegram.i18n import N_, _
from bot.telegram.render import esc

logger = logging.getLogger(__name__)

GROUP_WORDS = ("grup", "group")
ON_WORDS = ("nyala", "on")
OFF_WORDS = ("mati", "off")
USAGE = N_("Contoh: <code>/sumber grup Emtek mati</code> atau <code>/sumber grup Emtek nyala</code>")


def group_code(name: str) -> str:
    """A short stable code for a group name, for button data."""
    return hashlib.blake2s(name.encode(), digest_size=4).hexdigest()


def _mark(feeds: Sequence[Feed], excluded: set[int]) -> str:
    out = sum(1 for feed in feeds if feed.id in excluded)
    return "☑" if out == 0 else "☐" if out == len(feeds) else "◐"


async def group_rows(session: AsyncSession, sub: Subscriber) -> list[list[InlineKeyboardButton]]:
    """One button per media group that has enabled feeds, marked by how much of it is included."""
    excluded, _categories = await exclusions(session, sub.id)
    rows = []
    for group, feeds in (await feeds_by_group(session)).items():
        label = _("{mark} Grup: {group} ({count} feed)").format(
            mark=_mark(feeds, excluded), group=group, count=len(feeds)
        )
        rows.append([InlineKeyboardButton(label, callback_data=f"src:g:{group_code(group)}")])
    return rows


async def toggle_group(session: AsyncSession, sub: Subscriber, code: str) -> bool | None:
    """Flip a group pressed on the keyboard; True when now included, None for an unknown code."""
    groups = await feeds_by_group(session)
    name = next((g for g in groups if group_code(g) == code), None)
    if name is None:
        return None
    excluded, _categories = await exclusions(session, sub.id)
    feeds = groups[name]
    include = all(feed.id in excluded for feed in feeds)
    await set_feeds_excluded(session, sub.id, [feed.id for feed in feeds], not include)
    return include


async def group_command(session: AsyncSession, sub: Subscriber, args: Sequence[str]) -> str:
    """``grup NAMA mati|nyala``: the reply to the words after /sumber (a group changed, or why not)."""
    groups = await feeds_by_group(session)
    switch = args[-1].lower() if len(args) >= 3 else ""
    wanted = " ".join(args[1:-1]).casefold()
    if switch not in ON_WORDS + OFF_WORDS or not wanted:
        logger.info("/sumber grup not understood: %d words", len(args))
        return _(USAGE)
    name = next((g for g in groups if g.casefold() == wanted), None)
    name = name or next((g for g in groups if g.casefold().startswith(wanted)), None)
    if name is None:
        logger.info("/sumber grup names no group with feeds: %.40s", wanted)
        known = ", ".join(esc(g) for g in groups) or "—"
        return _("Tidak ada feed dari grup itu. Grup yang ada: {groups}").format(groups=known)
    include = switch in ON_WORDS
    await set_feeds_excluded(session, sub.id, [feed.id for feed in groups[name]], not include)
    done = _("disertakan") if include else _("tidak disertakan")
    return _("Grup {group} ({count} feed) {done} dalam ringkasan Anda.").format(
        group=esc(name), count=len(groups[name]), done=done
    )
