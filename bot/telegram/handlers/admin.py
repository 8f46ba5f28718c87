"""Commands for admins (RINGKAS_ADMIN_IDS): manage feeds, fetch now, statistics with a chart."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.ingest.schedule import ingest_many
from bot.ingest.sources import add_feed
from bot.store.feeds import FeedError, enabled_feeds, list_feeds, remove_feed, set_enabled
from bot.store.stats import collect_stats, week_series
from bot.telegram.chart import week_picture
from bot.telegram.handlers.commands import reply
from bot.telegram.i18n import _
from bot.telegram.jobs import runtime_of
from bot.telegram.numbers import ascii_number
from bot.telegram.render import esc, local_time, pack

logger = logging.getLogger(__name__)

REFUSAL = "Maaf, perintah ini hanya untuk admin Ringkas."
CHART_FILE = "ringkas-statistik.png"


async def is_admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Whether the sender is a configured admin; refuse politely otherwise."""
    user = update.effective_user
    if user is not None and user.id in runtime_of(context).services.settings.admin_ids:
        return True
    logger.info("admin command refused user=%s", user.id if user else None)
    await reply(update, REFUSAL)
    return False


def _feed_id(context: ContextTypes.DEFAULT_TYPE) -> int | None:
    """The feed id given as the command's first argument, or None when it is missing or not a number."""
    args = context.args or []
    return ascii_number(args[0]) if args else None


async def add_feed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/addfeed URL [kategori]: fetch once, then add."""
    if not await is_admin(update, context):
        return
    args = context.args or []
    if not args:
        await reply(update, "Contoh: <code>/addfeed https://contoh.id/rss ekonomi</code>")
        return
    services = runtime_of(context).services
    try:
        async with services.db.sessionmaker.begin() as session:
            feed, check = await add_feed(
                session, services.fetcher, args[0], category=args[1] if len(args) > 1 else None, work=services.work
            )
            feed_id, name, category = feed.id, feed.name, feed.category
    except FeedError as exc:
        await reply(update, f"❌ Feed tidak ditambahkan: {esc(str(exc))}")
        return
    await reply(
        update,
        f"✅ Feed {feed_id} ditambahkan: <b>{esc(check.title or name)}</b> "
        f"({check.item_count} item, kategori {esc(category)}).",
    )


async def _feed_change(update: Update, context: ContextTypes.DEFAULT_TYPE, verb: str) -> None:
    """Pause, resume or remove the feed named in the arguments (admins only), and reply with the result."""
    if not await is_admin(update, context):
        return
    feed_id = _feed_id(context)
    if feed_id is None:
        await reply(update, f"Contoh: <code>/{verb}feed 3</code> (lihat nomor feed di /feeds)")
        return
    try:
        async with runtime_of(context).services.db.sessionmaker.begin() as session:
            if verb == "remove":
                feed = await remove_feed(session, feed_id)
            else:
                feed = await set_enabled(session, feed_id, verb == "resume")
            name = feed.name
    except FeedError:
        await reply(update, f"Tidak ada feed dengan nomor {feed_id}.")
        return
    done = {"remove": "dihapus", "pause": "dijeda", "resume": "diaktifkan lagi"}[verb]
    await reply(update, f"Feed {feed_id} (<b>{esc(name)}</b>) {done}.")


async def remove_feed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/removefeed ID."""
    await _feed_change(update, context, "remove")


async def pause_feed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/pausefeed ID."""
    await _feed_change(update, context, "pause")


async def resume_feed_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/resumefeed ID."""
    await _feed_change(update, context, "resume")


async def feeds_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/feeds: every feed with its health."""
    if not await is_admin(update, context):
        return
    rt = runtime_of(context)
    async with rt.services.db.sessionmaker() as session:
        rows = await list_feeds(session)
    tz = rt.services.settings.ringkas_timezone
    if not rows:
        await reply(update, "Belum ada feed. Tambahkan dengan /addfeed URL")
        return
    lines = []
    for health in rows:
        f = health.feed
        state = "✅" if f.enabled and not f.consecutive_failures else ("⏸" if not f.enabled else "⚠️")
        ok = local_time(f.last_success_at, tz) if f.last_success_at else "belum pernah"
        line = f"{state} <b>{f.id}</b> {esc(f.name)} [{esc(f.category)}] · {health.articles} artikel · sukses: {ok}"
        if f.consecutive_failures:
            line += f"\n    gagal {f.consecutive_failures}×: {esc((f.last_error or '')[:150])}"
        if f.warning_count:
            line += f"\n    peringatan {f.warning_count}×: {esc((f.last_warning or '')[:150])}"
        if not f.enabled and f.paused_reason:
            line += f"\n    dijeda: {esc(f.paused_reason[:150])}"
        lines.append(line)
    for text in pack(lines, separator="\n"):
        await reply(update, text)


async def fetch_now_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/fetchnow: poll every enabled feed now."""
    if not await is_admin(update, context):
        return
    services = runtime_of(context).services
    async with services.db.sessionmaker() as session:
        ids = [feed.id for feed in await enabled_feeds(session)]
    await reply(update, f"⏳ Mengambil {len(ids)} feed…")
    results = await ingest_many(services, ids)
    new = sum(r.new for r in results)
    failed = [r for r in results if r.error]
    text = f"Selesai: {new} artikel baru dari {len(results)} feed."
    if failed:
        text += "\nGagal: " + "; ".join(f"{r.feed_id} ({esc((r.error or '')[:80])})" for r in failed[:10])
    await reply(update, text)


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats: a chart of the week's articles per outlet and deliveries, the figures as its caption."""
    if not await is_admin(update, context):
        return
    rt = runtime_of(context)
    now = rt.clock.now()
    async with rt.services.db.sessionmaker() as session:
        st = await collect_stats(session, now)
        week = await week_series(session, now, rt.services.settings.ringkas_timezone)
    caption = _(
        "<b>Statistik Ringkas</b>\n"
        "Pelanggan aktif: {active} (nonaktif: {inactive})\n"
        "Berita 24 jam terakhir: {day} · rata-rata 7 hari: {week:.1f}/hari\n"
        "Ringkasan terkirim: {digests} · notifikasi topik: {alerts}\n"
        "Pengiriman gagal: {failed} · tertunda: {pending}\n"
        "Feed bermasalah/dijeda: {troubled}"
    ).format(
        active=st.active_subscribers,
        inactive=st.inactive_subscribers,
        day=st.stories_last_day,
        week=st.stories_per_day_week,
        digests=st.digests_sent,
        alerts=st.alerts_sent,
        failed=st.deliveries_failed,
        pending=st.deliveries_pending,
        troubled=st.troubled_feeds,
    )
    picture = await week_picture(week)
    message = update.effective_message
    if picture is None or message is None:
        await reply(update, caption)
        return
    try:
        await message.reply_photo(picture, caption=caption, parse_mode=ParseMode.HTML, filename=CHART_FILE)
    except BadRequest as exc:  # a picture Telegram refuses must not cost the figures
        logger.warning("/stats chart refused, figures sent as text: %s", exc.message)
        await reply(update, caption)
