"""Formatting for Telegram, in one place: HTML escaping, local times, stories, and 4096-character splitting."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.i18n import N_, _
from bot.telegram.outlets import other_sources_listing, sources_line

MESSAGE_LIMIT = 4096
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
ZONES_BY_NAME = {abbr: zone for zone, abbr in ZONE_NAMES.items()}
DAYS = (N_("Senin"), N_("Selasa"), N_("Rabu"), N_("Kamis"), N_("Jumat"), N_("Sabtu"), N_("Minggu"))
MONTHS = (
    N_("Januari"), N_("Februari"), N_("Maret"), N_("April"), N_("Mei"), N_("Juni"),
    N_("Juli"), N_("Agustus"), N_("September"), N_("Oktober"), N_("November"), N_("Desember"),
)  # fmt: skip
MAX_TITLE = 300
SOURCES_PREFIX = "lain:"  # callback data of a "Sumber lain (N)" button: lain:<story id>
THREAD_PREFIX = "dev:"  # callback data of a "Perkembangan (N)" button: dev:<story id>
MAX_RELATED_TITLE = 120
BUTTON_TITLE = 28  # characters of the headline shown on a button, to tell the buttons apart


@dataclass(frozen=True)
class StoryView:
    """One story as a reader sees it."""

    story_id: int
    title: str
    url: str
    sources: Sequence[str]
    published: datetime | None  # None for a page that gives no date: no time is shown, none invented
    sentences: Sequence[str]
    category: str
    # Every outlet with the link of its first report, earliest report first.
    links: Sequence[tuple[str, str]] = ()
    has_time: bool = True  # False where only the day is known (a page without a time of day)
    # Other stories of its thread folded under it (headline, outlet), and how many of the
    # thread's stories came before it (offered as "Perkembangan (N)").
    related: Sequence[tuple[str, str]] = ()
    earlier: int = 0
    picture: str | None = None  # the lead article's picture (else another report's): an http(s) URL


def esc(text: str) -> str:
    """Escape text for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def zone_label(tz: str) -> str:
    """WIB, WITA, WIT, or the zone name."""
    return ZONE_NAMES.get(tz, tz)


def local_time(moment: datetime, tz: str) -> str:
    """'07.15 WIB' for today-ish times, with the date when it is not today."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{local.day} {_(MONTHS[local.month - 1])[:3]} {local:%H.%M} {zone_label(tz)}"


def local_day(moment: datetime) -> str:
    """'14 Jun 2018': the day alone, for a page that gives no time of day (no invented midnight)."""
    return f"{moment.day} {_(MONTHS[moment.month - 1])[:3]} {moment.year}"


def long_date(moment: datetime, tz: str) -> str:
    """'Rabu, 25 November 2026'."""
    local = moment.astimezone(ZoneInfo(tz))
    return f"{_(DAYS[local.weekday()])}, {local.day} {_(MONTHS[local.month - 1])} {local.year}"


def other_sources_label(story: StoryView) -> str:
    """The text of a story's button that lists every outlet's link: "Sumber lain (3)"."""
    return _("Sumber lain ({count})").format(count=len(story.links) - 1)


def _button_title(story: StoryView) -> str:
    return story.title if len(story.title) <= BUTTON_TITLE else story.title[: BUTTON_TITLE - 1] + "…"


def source_buttons(stories: Sequence[StoryView]) -> list[list[str]]:
    """One ``[label, callback data]`` "Sumber lain (N) · headline" button per story reported by
    several outlets, and one "Perkembangan (N) · headline" per story whose thread has earlier
    stories, as plain data a delivery can store."""
    buttons = []
    for story in stories:
        if len(story.links) >= 2:
            buttons.append(
                [f"{other_sources_label(story)} · {_button_title(story)}", f"{SOURCES_PREFIX}{story.story_id}"]
            )
        if story.earlier:
            label = _("Perkembangan ({count})").format(count=story.earlier)
            buttons.append([f"{label} · {_button_title(story)}", f"{THREAD_PREFIX}{story.story_id}"])
    return buttons


def keyboard(buttons: Sequence[Sequence[str]] | None) -> InlineKeyboardMarkup | None:
    """An inline keyboard of one button per row from ``[label, callback data]`` pairs, or None."""
    rows = [[InlineKeyboardButton(label, callback_data=data)] for label, data in buttons or ()]
    return InlineKeyboardMarkup(rows) if rows else None


def render_other_sources(story: StoryView) -> str:
    """Every outlet's report of a story, linked, earliest first, under its media group."""
    return other_sources_listing(story.title[:MAX_TITLE], story.links)


def _when(story: StoryView, tz: str) -> str:
    """The story's local time, its day alone when the page gave no time of day, or '' when undated."""
    if story.published is None:
        return ""
    return local_time(story.published, tz) if story.has_time else local_day(story.published)


def render_story(story: StoryView, tz: str, sentences: int | None = None) -> str:
    """A linked title, sources and time, and the summary."""
    title = story.title if len(story.title) <= MAX_TITLE else story.title[: MAX_TITLE - 1] + "…"
    href = html.escape(story.url, quote=True)
    byline = " · ".join(part for part in (sources_line(story.sources, story.links), _when(story, tz)) if part)
    lines = [f'<b><a href="{href}">{esc(title)}</a></b>', f"<i>{byline}</i>"]
    chosen = story.sentences if sentences is None else story.sentences[:sentences]
    if chosen:
        lines.append(esc(" ".join(chosen)))
    for head, source in story.related:
        cut = head if len(head) <= MAX_RELATED_TITLE else head[: MAX_RELATED_TITLE - 1] + "…"
        lines.append("↳ " + _("Berita terkait: {title} ({source})").format(title=esc(cut), source=esc(source)))
    return "\n".join(lines)


def fit_story(story: StoryView, tz: str, limit: int = MESSAGE_LIMIT) -> str:
    """The story rendered with as many summary sentences as fit in one message."""
    for count in range(len(story.sentences), -1, -1):
        block = render_story(story, tz, count)
        if utf16_len(block) <= limit:
            return block
    shorter = StoryView(
        story.story_id,
        story.title[:200],
        story.url[:1000],
        story.sources[:1],
        story.published,
        (),
        story.category,
        has_time=story.has_time,
    )
    return render_story(shorter, tz, 0)


def pack(blocks: Iterable[str], limit: int = MESSAGE_LIMIT, separator: str = "\n\n") -> list[str]:
    """Join blocks into as few messages as possible, splitting only between blocks."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}{separator}{block}" if current else block
        if utf16_len(candidate) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        current = block
    if current:
        messages.append(current)
    return messages


def render_developments(story: StoryView, earlier: Sequence[tuple[str, str, str, datetime]], tz: str) -> str:
    """A thread's earlier stories, oldest first: time, linked headline, outlet."""
    lines = [_("<b>Perkembangan:</b> {title}").format(title=esc(story.title[:MAX_TITLE]))]
    for title, url, source, published in earlier:
        href = html.escape(url, quote=True)
        lines.append(f'• {local_time(published, tz)} — <a href="{href}">{esc(title[:MAX_TITLE])}</a> ({esc(source)})')
    return "\n".join(lines)


def render_digest(stories: Sequence[StoryView], tz: str, now: datetime) -> list[str]:
    """The digest: a header, then stories grouped by category, split at story boundaries."""
    header = _("📰 <b>Ringkas — {date}</b>\n{count} berita pilihan sejak ringkasan terakhir.").format(
        date=esc(long_date(now, tz)), count=len(stories)
    )
    blocks = [header]
    order: list[str] = []
    for story in stories:
        if story.category not in order:
            order.append(story.category)
    for category in order:
        members = [s for s in stories if s.category == category]
        first = True
        for story in members:
            block = fit_story(story, tz, MESSAGE_LIMIT - 100)
            if first:
                block = f"<b>▍{esc(category.upper())}</b>\n\n{block}"
                first = False
            blocks.append(block)
    return pack(blocks)


def render_results(query: str, stories: Sequence[StoryView], tz: str, suggestions: Sequence[str] = ()) -> list[str]:
    """Search results; when nothing matches, the day's common topics to try instead (if any)."""
    shown = esc(query if len(query) <= 60 else query[:59] + "…")
    if not stories:
        hint = (
            _("Topik yang banyak diberitakan hari ini: {topics}").format(
                topics=", ".join(f"<code>{esc(w)}</code>" for w in suggestions)
            )
            if suggestions
            else _("Coba kata kunci lain yang lebih umum.")
        )
        return [_("Tidak ada berita yang cocok dengan <b>{query}</b>.").format(query=shown) + "\n" + hint]
    header = _("🔎 Hasil untuk <b>{query}</b>:").format(query=shown)
    return pack([header, *(fit_story(s, tz, MESSAGE_LIMIT - 100) for s in stories)])


def render_alert(keyword_by_story: dict[int, str], stories: Sequence[StoryView], tz: str) -> list[str]:
    """One batched alert message (or several, if long) for newly matching stories."""
    keywords = sorted(set(keyword_by_story.values()))
    header = _("🔔 Berita baru untuk topik {topics}:").format(topics=", ".join(f"<b>{esc(k)}</b>" for k in keywords))
    return pack([header, *(fit_story(s, tz, MESSAGE_LIMIT - 100) for s in stories)])
