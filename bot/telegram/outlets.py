"""The outlets of a story as a reader sees them: the byline's outlets and media groups, and the
"Sumber lain" list of every outlet under its group.

Groups come from ``bot.store.mediagroups`` through each outlet's link. The byline names groups only
when several outlets report a story, and counts only what the file knows: an outlet missing from it
is counted as "without owner data", never folded into a known group. One outlet alone gets no
group note (one report says nothing about concentration).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from bot.store.mediagroups import media_groups
from bot.telegram.i18n import _

SHOWN_OTHERS = 5  # other outlets named in the byline; more are counted
SHOWN_GROUPS = 6


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def outlet_groups(sources: Sequence[str], links: Sequence[tuple[str, str]]) -> list[str | None]:
    """The group of each outlet name (through its link), None where the link or host is unknown."""
    url_of = dict(links)
    groups = media_groups()
    return [groups.group_of_url(url_of[name]) if name in url_of else None for name in sources]


def group_note(sources: Sequence[str], links: Sequence[tuple[str, str]]) -> str:
    """' · 3 grup media: CT Corp, KG Media, Emtek', ' · hanya diberitakan oleh grup Emtek', or ''."""
    if len(sources) < 2:
        return ""
    found = outlet_groups(sources, links)
    known = list(dict.fromkeys(g for g in found if g))
    unknown = found.count(None)
    if not known:
        return ""
    if len(known) == 1 and not unknown:
        return _(" · hanya diberitakan oleh grup {group}").format(group=_esc(known[0]))
    names = ", ".join(known[:SHOWN_GROUPS]) + (", …" if len(known) > SHOWN_GROUPS else "")
    if len(known) == 1:
        note = _(" · grup media: {groups}").format(groups=_esc(names))
    else:
        note = _(" · {count} grup media: {groups}").format(count=len(known), groups=_esc(names))
    if unknown:
        note += _(", {count} media tanpa data pemilik").format(count=unknown)
    return note


def sources_line(sources: Sequence[str], links: Sequence[tuple[str, str]] = ()) -> str:
    """'detik · juga diberitakan oleh kompas · 2 grup media: CT Corp, KG Media · pertama: kompas'."""
    line = _esc(sources[0]) if sources else ""
    if len(sources) > 1:
        line += _(" · juga diberitakan oleh ") + _esc(", ".join(sources[1 : SHOWN_OTHERS + 1]))
        if len(sources) > SHOWN_OTHERS + 1:
            line += _(" dan {count} lainnya").format(count=len(sources) - SHOWN_OTHERS - 1)
        line += group_note(sources, links)
        if links:
            line += _(" · pertama: {source}").format(source=_esc(links[0][0]))
    return line


def other_sources_listing(title: str, links: Sequence[tuple[str, str]]) -> str:
    """Every outlet's report, linked, earliest first; under group headings when any group is known."""
    lines = [f"<b>{_esc(title)}</b>", _("Diberitakan oleh:")]
    groups = outlet_groups([name for name, _url in links], links)
    by_group: dict[str | None, list[int]] = {}
    for n, group in enumerate(groups):
        by_group.setdefault(group, []).append(n)
    headed = any(g is not None for g in by_group)
    for group, members in sorted(by_group.items(), key=lambda item: item[0] is None):  # unknown last
        if headed:
            lines.append(f"<b>{_esc(group)}</b>" if group else _("<b>Tanpa data pemilik</b>"))
        for n in members:
            source, url = links[n]
            note = _(" (pertama)") if n == 0 and len(links) > 1 else ""
            lines.append(f'• <a href="{html.escape(url, quote=True)}">{_esc(source)}</a>{note}')
    return "\n".join(lines)
