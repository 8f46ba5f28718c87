"""The fake Bot API behaves like Telegram towards a real python-telegram-bot client.

Every test drives ``telegram.Bot`` or a whole ``Application`` through PTB's real httpx layer
against ``FakeTelegram`` on 127.0.0.1, so what passes here is what the bot's own tests rely
on: validation errors map to the right PTB exceptions, long polling delivers injected
updates, and state survives a client restart.  Flood-limit arithmetic is checked on the
limiter with explicit clock values, never by timing real requests.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.fakes import FakeTelegram
from tests.fakes.send_limits import SendRateLimiter
from tests.fakes.telegram_validation import check_message_text, html_to_text, utf16_len

TOKEN = "123456:TEST-token"
PROJECT_ROOT = Path(__file__).resolve().parents[3]
USER = 4242


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB 22's timedelta ``retry_after`` so RetryAfter raises no deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
def tg() -> Iterator[FakeTelegram]:
    with FakeTelegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=tg.api_url, base_file_url=tg.base_file_url) as client:
        yield client


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Baca", callback_data=data)]])


# -- basic calls -----------------------------------------------------------------------------


async def test_get_me_describes_the_bot_from_the_token(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "ringkas_test_bot", True)


async def test_wrong_token_is_unauthorized(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{tg.api_url}999:WRONG/getMe")
    assert response.status_code == 401
    assert response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=tg.api_url):
            pass


async def test_unknown_method_is_404(tg: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{tg.api_url}{TOKEN}/sendTelepathy")
    assert response.status_code == 404
    assert response.json()["description"] == "Not Found: method not found"


async def test_send_message_is_recorded_and_returned_as_a_message(tg: FakeTelegram, bot: Bot) -> None:
    markup = _keyboard("story:1")
    first = await bot.send_message(77, "<b>Berita</b> &amp; opini", parse_mode="HTML", reply_markup=markup)
    second = await bot.send_message(77, "kedua")
    other = await bot.send_message(78, "lain")
    assert (first.message_id, second.message_id, other.message_id) == (1, 2, 1)
    assert first.text == "Berita & opini"  # Telegram returns the text after entity parsing
    assert first.chat.type == "private" and first.from_user and first.from_user.is_bot
    assert first.reply_markup == markup
    call = tg.messages_to(77)[0]
    assert (call.method, call.chat_id, call.text, call.parse_mode) == (
        "sendMessage", 77, "<b>Berita</b> &amp; opini", "HTML",
    )  # fmt: skip
    assert call.reply_markup == markup.to_dict()
    assert [c.text for c in tg.sent] == ["<b>Berita</b> &amp; opini", "kedua", "lain"]
    assert tg.stats()["methods"]["sendMessage"] == 3


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<b>tebal", 'end tag corresponding to start tag "b"'),
        ("baris<br>baru", 'Unsupported start tag "br"'),
        ("harga & kualitas", "Character '&' is reserved"),
        ("spasi&nbsp;keras", "Unsupported HTML entity"),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("tutup</b>", "Unexpected end tag"),
        ("<span>rahasia</span>", 'must have class "tg-spoiler"'),
        ("<a href='https://x.id'", "Unclosed start tag"),
    ],
)
async def test_unparseable_html_is_a_bad_request(bot: Bot, text: str, reason: str) -> None:
    with pytest.raises(BadRequest, match="parse entities") as caught:
        await bot.send_message(1, text, parse_mode="HTML")
    assert reason.lower() in caught.value.message.lower()


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("<b>a</b><strong>b</strong><i>c</i><em>d</em><u>e</u><ins>f</ins>", "abcdef"),
        ("<s>a</s><strike>b</strike><del>c</del><tg-spoiler>d</tg-spoiler>", "abcd"),
        ('<span class="tg-spoiler">a</span><a href="https://ringkas.id/?a=1&amp;b=2">b</a>', "ab"),
        ('<pre><code class="language-python">x &lt; 1</code></pre>', "x < 1"),
        ("<blockquote expandable>kutipan</blockquote> &quot;&#65;&#x42;&gt;", 'kutipan "AB>'),
        ("<B>huruf besar</B> 2 > 1", "huruf besar 2 > 1"),
    ],
)
def test_telegram_html_is_accepted(html: str, visible: str) -> None:
    assert html_to_text(html) == visible


def test_length_is_counted_in_utf16_after_parsing() -> None:
    assert utf16_len("😀") == 2
    check_message_text("😀" * 2048, None)
    check_message_text("<b>" + "a" * 4096 + "</b>", "HTML")  # tags do not count
    for too_long in ("😀" * 2049, "a" * 4097):
        with pytest.raises(Exception, match="message is too long"):
            check_message_text(too_long, None)


async def test_too_long_and_empty_texts_are_bad_requests(bot: Bot) -> None:
    await bot.send_message(1, "a" * 4096)
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(1, "a" * 4097)
    with pytest.raises(BadRequest, match="text is empty"):
        await bot.send_message(1, "  \n ")
    with pytest.raises(BadRequest, match="text is empty"):
        await bot.send_message(1, "<b> </b>", parse_mode="HTML")


async def test_callback_data_over_64_bytes_is_rejected(tg: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(1, "ok", reply_markup=_keyboard("x" * 64))
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(1, "terlalu panjang", reply_markup=_keyboard("é" * 33))
    assert len(tg.sent) == 1
    assert tg.calls("sendMessage")[-1].status == 400


# -- request encodings -----------------------------------------------------------------------


async def test_json_form_and_multipart_bodies_decode_alike(tg: FakeTelegram) -> None:
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    url = f"{tg.api_url}{TOKEN}/sendMessage"
    async with httpx.AsyncClient() as client:
        as_json = await client.post(url, json={"chat_id": "5", "text": "123", "reply_markup": markup})
        as_form = await client.post(url, data={"chat_id": "5", "text": "true", "reply_markup": json.dumps(markup)})
        as_multipart = await client.post(
            url, data={"chat_id": "5", "text": "null"}, files={"document": ("a.txt", b"abc")}
        )
    assert [r.status_code for r in (as_json, as_form, as_multipart)] == [200, 200, 200]
    calls = tg.messages_to(5)
    assert [c.text for c in calls] == ["123", "true", "null"]  # free text stays text
    assert calls[0].reply_markup == calls[1].reply_markup == markup
    assert calls[2].params["document"] == {"filename": "a.txt", "size": 3, "head": b"abc".hex()}


def test_a_malformed_http_request_gets_400_and_a_closed_connection(tg: FakeTelegram) -> None:
    with socket.create_connection(("127.0.0.1", tg.port), timeout=5) as sock:
        sock.sendall(b"NONSENSE\r\n\r\n")
        reply = sock.recv(4096)
        assert reply.startswith(b"HTTP/1.1 400 ")
        assert sock.recv(4096) == b""


# -- faults ----------------------------------------------------------------------------------


async def test_forbidden_chat_raises_forbidden(tg: FakeTelegram, bot: Bot) -> None:
    tg.forbid(9)
    with pytest.raises(Forbidden, match="blocked by the user"):
        await bot.send_message(9, "halo")
    tg.unforbid(9)
    await bot.send_message(9, "halo lagi")
    assert [c.status for c in tg.calls("sendMessage")] == [403, 200]


async def test_migrated_group_raises_chat_migrated(tg: FakeTelegram, bot: Bot) -> None:
    tg.migrate(-55, -1001234)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-55, "halo grup")
    assert caught.value.new_chat_id == -1001234
    message = await bot.send_message(caught.value.new_chat_id, "halo supergrup")
    assert message.chat.type == "supergroup"


async def test_retry_after_and_server_errors_map_to_ptb_exceptions(tg: FakeTelegram, bot: Bot) -> None:
    tg.retry_after_next("sendMessage", seconds=3)
    with pytest.raises(RetryAfter) as flood:
        await bot.send_message(1, "a")
    assert flood.value.retry_after == dt.timedelta(seconds=3)
    tg.fail_next("sendMessage", status=500, count=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as caught:
            await bot.send_message(1, "b")
        assert type(caught.value) is NetworkError  # 5xx is retryable, not a BadRequest
    await bot.send_message(1, "c")
    stats = tg.stats()
    assert (stats["too_many_requests"], stats["server_errors"], stats["delivered"]) == (1, 2, 1)


async def test_delay_slows_answers_without_breaking_them(tg: FakeTelegram, bot: Bot) -> None:
    tg.delay(0.05)
    assert (await bot.send_message(1, "pelan")).message_id == 1
    tg.delay(0)


async def test_rate_limit_answers_429_until_lifted(bot: Bot, tg: FakeTelegram) -> None:
    tg.rate_limit = 2
    await bot.send_message(1, "a")
    await bot.send_message(2, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(3, "c")
    await bot.get_me()  # only send-type calls count
    tg.rate_limit = None
    await bot.send_message(3, "c")
    assert tg.too_many_requests == 1


def test_sliding_window_counts_sends_in_any_one_second() -> None:
    limiter = SendRateLimiter(per_second=3)
    assert [limiter.admit(1, t) for t in (10.0, 10.2, 10.4)] == [None, None, None]
    assert limiter.admit(1, 10.9) == 1  # three sends in (9.9, 10.9]
    assert limiter.admit(1, 11.05) is None  # the 10.0 send left the window
    assert limiter.admit(1, 11.1) == 1


def test_per_chat_limit_is_optional() -> None:
    limiter = SendRateLimiter(per_second=None, per_chat=True)
    assert limiter.admit("a", 0.0) is None
    assert limiter.admit("b", 0.1) is None
    assert limiter.admit("a", 0.5) == 1
    assert limiter.admit("a", 1.01) is None
    assert SendRateLimiter(per_second=None).admit("a", 0.0) is None


# -- updates ---------------------------------------------------------------------------------


async def test_get_updates_honours_offset_limit_and_allowed_updates(tg: FakeTelegram, bot: Bot) -> None:
    ids = [tg.send_text(USER, f"pesan {i}") for i in range(3)]
    assert ids == [1, 2, 3]
    first = await bot.get_updates(limit=2, timeout=0)
    assert [u.update_id for u in first] == [1, 2]
    rest = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    assert [u.message.text for u in rest if u.message] == ["pesan 2"]
    tg.press_button(USER, USER, "story:9", message_id=1)
    only_messages = await bot.get_updates(offset=4, timeout=0, allowed_updates=["message"])
    assert only_messages == ()  # the callback query was filtered out (and dropped)
    assert await bot.get_updates(offset=-1, timeout=0) == ()


async def test_long_poll_wakes_when_an_update_arrives(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    assert await tg.wait_until_async(lambda: tg.polls_waiting == 1)
    threading.Thread(target=tg.send_text, args=(USER, "/start@ringkas_test_bot")).start()
    updates = await asyncio.wait_for(poll, timeout=10)
    message = updates[0].message
    assert message is not None and message.text == "/start@ringkas_test_bot"
    assert message.entities[0].type == "bot_command"
    assert message.entities[0].length == len("/start@ringkas_test_bot")


async def test_a_second_poller_terminates_the_first(tg: FakeTelegram) -> None:
    url = f"{tg.api_url}{TOKEN}/getUpdates"
    async with httpx.AsyncClient(timeout=10) as client:
        first = asyncio.create_task(client.post(url, data={"timeout": "30"}))
        assert await tg.wait_until_async(lambda: tg.polls_waiting == 1)
        second = await client.post(url, data={"timeout": "0"})
        assert second.json() == {"ok": True, "result": []}
        assert (await first).status_code == 409


async def test_webhook_commands_and_chat_queries_are_recorded(tg: FakeTelegram, bot: Bot) -> None:
    assert await bot.set_webhook("https://ringkas.example/hook")
    assert (await bot.get_webhook_info()).url == "https://ringkas.example/hook"
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert await bot.delete_webhook()
    commands = [BotCommand("start", "Mulai"), BotCommand("cari", "Cari berita")]
    assert await bot.set_my_commands(commands)
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Mulai!", "x")])
    tg.set_chat_admins(-100777, [USER])
    admins = await bot.get_chat_administrators(-100777)
    assert [a.user.id for a in admins] == [USER]
    assert (await bot.get_chat_member(-100777, USER)).status == "administrator"
    assert (await bot.get_chat_member(-100777, 5)).status == "member"
    assert (await bot.get_chat(-100777)).type == "supergroup"
    assert await bot.send_chat_action(USER, "typing")
    assert await bot.close() and await bot.log_out()


async def test_buttons_edits_and_callback_answers(tg: FakeTelegram, bot: Bot) -> None:
    sent = await bot.send_message(USER, "Pilih:", reply_markup=_keyboard("story:1"))
    tg.press_button(USER, USER, "story:1", sent.message_id)
    (update,) = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query is not None and query.data == "story:1" and query.message is not None
    assert await query.answer("Oke")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await query.answer("lagi")
    edited = await bot.edit_message_text("Dipilih", USER, sent.message_id)
    assert edited.text == "Dipilih" and edited.reply_markup is None  # type: ignore[union-attr]
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Dipilih", USER, sent.message_id)
    with pytest.raises(BadRequest, match="not found"):
        await bot.edit_message_text("x", USER, 999)
    await bot.edit_message_reply_markup(USER, sent.message_id, reply_markup=_keyboard("b"))
    assert [c.method for c in tg.calls() if c.ok][-1] == "editMessageReplyMarkup"
    assert len(tg.messages_to(USER)) == 1  # edits are not new messages


# -- a whole Application ---------------------------------------------------------------------


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet the user with a button."""
    assert update.effective_message is not None
    await update.effective_message.reply_html("<b>Selamat datang</b>", reply_markup=_keyboard("go"))


async def _pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge a button press."""
    assert update.callback_query is not None
    await update.callback_query.answer()
    await update.callback_query.edit_message_text("Siap")


async def _run_app_once(tg: FakeTelegram, inject: Callable[[], object], done: Callable[[], bool]) -> None:
    """Start a fresh Application (as a restarted bot process would), inject, wait, shut down."""
    app = ApplicationBuilder().token(TOKEN).base_url(tg.api_url).base_file_url(tg.base_file_url).build()
    app.add_handler(CommandHandler("start", _start))
    app.add_handler(CallbackQueryHandler(_pressed))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)
    try:
        inject()
        assert await tg.wait_until_async(done, timeout=10)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def test_application_replies_to_start_and_survives_a_restart(tg: FakeTelegram) -> None:
    await _run_app_once(tg, lambda: tg.send_text(USER, "/start"), lambda: bool(tg.sent))
    (greeting,) = tg.messages_to(USER)
    assert (greeting.text, greeting.parse_mode) == ("<b>Selamat datang</b>", "HTML")
    assert greeting.message_id == 2  # the user's /start was message 1 in this chat
    # A second bot process must not see the confirmed /start again; the fake still knows
    # the greeting, so pressing its button works.
    await _run_app_once(
        tg,
        lambda: tg.press_button(USER, USER, "go", message_id=2),
        lambda: any(c.ok for c in tg.calls("editMessageText")),
    )
    assert [c.text for c in tg.calls("editMessageText") if c.ok] == ["Siap"]
    assert [c.status for c in tg.calls("answerCallbackQuery")] == [200]
    assert len(tg.messages_to(USER)) == 1
    assert tg.calls("getMe") and tg.calls("deleteWebhook")


def test_wait_helpers_time_out_cleanly(tg: FakeTelegram) -> None:
    assert tg.wait_until(lambda: bool(tg.sent), timeout=0.01) is False
    with pytest.raises(TimeoutError, match="received 0 of 2"):
        tg.wait_for_messages(1, count=2, timeout=0.01)


# -- stand-alone mode ------------------------------------------------------------------------


def test_control_endpoints_inject_and_report(tg: FakeTelegram) -> None:
    with FakeTelegram(TOKEN, control=True) as fake, httpx.Client(base_url=fake.base_url) as client:
        assert client.post("/control/update", json={"chat_id": 8, "text": "/start"}).json() == {
            "ok": True, "result": {"update_id": 1},
        }  # fmt: skip
        assert client.post("/control/update", json={"chat_id": 8}).status_code == 400
        polled = client.post(f"/bot{TOKEN}/getUpdates", data={"timeout": "0"}).json()
        assert polled["result"][0]["message"]["text"] == "/start"
        client.post(f"/bot{TOKEN}/sendMessage", data={"chat_id": "8", "text": "Halo"})
        assert [c["text"] for c in client.get("/control/sent").json()["result"]] == ["Halo"]
        assert client.post("/control/reset").json()["ok"] is True
        assert client.get("/control/sent").json()["result"] == []
    assert httpx.get(f"{tg.base_url}/control/sent").status_code == 404  # off by default


def test_module_runs_stand_alone_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.telegram_api", "--port", "0"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("Fake Telegram Bot API on http://127.0.0.1:")
        base_url = first_line.split()[-1]
        assert httpx.post(f"{base_url}/bot123:ABC/getMe").json()["result"]["username"] == "ringkas_test_bot"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
