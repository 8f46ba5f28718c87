"""Privacy: /privasi says what is stored and for how long; /hapusdata erases a chat after a button press.

The confirmation button's data carries no chat id: it acts on the chat the button is in, and in
a group only an administrator's press counts, so a forged or foreign press cannot erase anyone.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.store.erase import erase_chat_data
from bot.telegram.handlers.commands import may_change, reply
from bot.telegram.handlers.prefs import button_parts
from bot.telegram.i18n import N_, _
from bot.telegram.jobs import runtime_of

logger = logging.getLogger(__name__)

ERASE_YES, ERASE_NO = "priv:erase", "priv:keep"
PRIVACY = N_(
    "<b>Privasi Ringkas</b>\n\n"
    "Yang disimpan tentang chat ini:\n"
    "• ID chat, jenisnya, dan nama chat atau grup (untuk mengirim ringkasan);\n"
    "• pengaturan: jam kirim, zona waktu, jumlah berita dan kalimat, gambar (nyala/mati), sumber yang dipilih, bahasa "
    "(pilihan /bahasa, dan di chat pribadi bahasa aplikasi Telegram Anda);\n"
    "• topik yang diikuti dan kata yang dibisukan;\n"
    "• catatan ringkasan dan notifikasi yang dikirim (waktunya; isinya hanya sampai terkirim), agar tidak terkirim "
    "dua kali.\n\n"
    "Yang <b>tidak</b> disimpan: isi pesan Anda, kata kunci pencarian, dan tautan yang Anda minta diringkas.\n"
    "Berita (bukan data Anda) dihapus setelah {days} hari. Data chat disimpan selama chat ini memakai Ringkas; "
    "bila bot diblokir atau dikeluarkan, chat ditandai tidak aktif.\n\n"
    "Hapus semuanya kapan saja dengan /hapusdata: data itu langsung hilang dari database, tetapi cadangan "
    "yang dibuat pengelola bot sebelumnya masih memuatnya sampai cadangan itu dihapus."
)


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privasi: what the bot stores about a chat and for how long."""
    await reply(update, _(PRIVACY).format(days=runtime_of(context).services.settings.ringkas_retention_days))


async def erase_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hapusdata: ask for confirmation before erasing the chat's data."""
    if not await may_change(update, context):
        return
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(_("Ya, hapus semua"), callback_data=ERASE_YES),
                InlineKeyboardButton(_("Batal"), callback_data=ERASE_NO),
            ]
        ]
    )
    await reply(
        update,
        _(
            "Hapus <b>semua</b> data Ringkas untuk chat ini (langganan, pengaturan, topik, kata yang dibisukan, "
            "catatan pengiriman)? Tindakan ini tidak bisa dibatalkan."
        ),
        keyboard,
    )


async def erase_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on the /hapusdata confirmation."""
    query, chat = update.callback_query, update.effective_chat
    parts = await button_parts(update, context)  # refuses presses by anyone but the chat's owner or admins
    if query is None or chat is None or parts is None:
        return
    if query.data != ERASE_YES:
        await query.answer(_("Dibatalkan"))
        await query.edit_message_text(_("Data tidak dihapus."))
        return
    rows = await erase_chat_data(runtime_of(context).services.db, chat.id)
    logger.info("erase confirmed chat=%d rows=%d", chat.id, rows)
    await query.answer(_("Terhapus"))
    await query.edit_message_text(
        _("🗑 Semua data Ringkas untuk chat ini sudah dihapus. Ketik /start untuk mulai lagi.")
    )
