"""The lean transport for bulk sends answers exactly as python-telegram-bot's own, only cheaper.

Every Telegram error the sender acts on must come out of ``KeepAliveRequest`` as the same
exception, with the same message, as out of PTB's httpx transport; connections are reused,
a reused one the server has closed is replaced, and a fan-out builds no ``Message`` objects.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from telegram import Bot, Message
from telegram.error import TelegramError

from bot.store.db import Database
from bot.store.models import Delivery, Subscriber
from bot.telegram.delivery import Sender
from bot.telegram.keepalive import BulkBot, KeepAliveRequest
from bot.telegram.request import BotApiRequest
from bot.telegram.schedule_digest import queue_due_digests
from tests.fakes import FakeTelegram

FAULTS: dict[str, Callable[[FakeTelegram], None]] = {
    "blocked": lambda tg: tg.forbid(7),
    "migrated": lambda tg: tg.migrate(7, -1007),
    "flood": lambda tg: tg.retry_after_next("sendMessage", seconds=2),
    "server error": lambda tg: tg.fail_next("sendMessage", status=500),
    "bad gateway": lambda tg: tg.fail_next("sendMessage", status=502),
    "chat not found": lambda tg: tg.fail_next("sendMessage", status=400, description="Bad Request: chat not found"),
    "topic closed": lambda tg: tg.fail_next("sendMessage", status=400, description="Bad Request: TOPIC_CLOSED"),
    "not the bot api": lambda tg: tg.answer_raw_next("sendMessage", b"<html>proxy</html>", status=200),
}


async def _failure(bot: BulkBot) -> TelegramError:
    with pytest.raises(TelegramError) as caught:
        await bot.call("sendMessage", {"chat_id": 7, "text": "halo", "parse_mode": "HTML"})
    return caught.value


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_every_error_is_the_exception_ptb_raises(tg: FakeTelegram, fault: str) -> None:
    seen = []
    for request in (BotApiRequest(), KeepAliveRequest()):
        bot = BulkBot(tg.token, base_url=tg.api_url, request=request)
        FAULTS[fault](tg)
        error = await _failure(bot)
        seen.append((type(error), error.message, getattr(error, "retry_after", None), getattr(error, "new_chat_id", 0)))
        tg.unforbid(7)
        await request.shutdown()
    assert seen[0] == seen[1]


async def test_a_wrong_token_is_refused_alike(tg: FakeTelegram) -> None:
    seen = []
    for request in (BotApiRequest(), KeepAliveRequest()):
        error = await _failure(BulkBot("999:WRONG", base_url=tg.api_url, request=request))
        seen.append((type(error), error.message))
    assert seen[0] == seen[1]


class LoopbackApi:
    """HTTP/1.1 on 127.0.0.1 answering ``{"message_id": 1}``; with ``one_shot`` it hangs up after
    each answer without saying so, as a server does with an idle keep-alive connection."""

    def __init__(self, *, one_shot: bool = False, chunked: bool = False) -> None:
        self.one_shot, self.chunked = one_shot, chunked
        self.connections = 0
        self.server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while head := await reader.readuntil(b"\r\n\r\n"):
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                await reader.readexactly(length)
                body = b'{"ok": true, "result": {"message_id": 1}}'
                if self.chunked:
                    writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                    writer.write(b"%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n" % (10, body[:10], len(body) - 10, body[10:]))
                else:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
                if self.one_shot:
                    await asyncio.sleep(0.05)
                    break
        except (asyncio.IncompleteReadError, ConnectionError):  # the client hung up
            pass
        writer.close()

    async def __aenter__(self) -> str:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/bot"

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def test_a_connection_closed_while_idle_is_replaced() -> None:
    server = LoopbackApi(one_shot=True)
    async with server as url:
        bot = BulkBot("1:A", base_url=url, request=KeepAliveRequest(connections=1))
        for _ in range(3):
            assert await bot.call("sendMessage", {"chat_id": 1, "text": "x"}) == {"message_id": 1}
            await asyncio.sleep(0.1)  # the server hangs up meanwhile
    assert server.connections == 3


async def test_connections_are_kept_and_a_chunked_answer_is_read() -> None:
    server = LoopbackApi(chunked=True)
    async with server as url:
        request = KeepAliveRequest(connections=4)
        bot = BulkBot("1:A", base_url=url, request=request)
        answers = await asyncio.gather(*(bot.call("sendMessage", {"chat_id": i, "text": "x"}) for i in range(40)))
        await request.shutdown()
    assert answers == [{"message_id": 1}] * 40
    assert server.connections <= 4


async def test_a_fan_out_builds_no_message_objects(
    tg: FakeTelegram, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with database.sessionmaker.begin() as session:
        session.add_all(Subscriber(chat_id=500 + i, subscribed=True, digest_time="00:00") for i in range(20))
    ids = await queue_due_digests(database, datetime.now(UTC))
    built: list[object] = []
    original = Message.de_json.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(Message, "de_json", classmethod(lambda cls, *a, **k: built.append(1) or original(cls, *a, **k)))
    sender = Sender(Bot(tg.token, base_url=tg.api_url), database)
    outcomes = await sender.send_many(ids)
    await sender.close()
    assert [o.status for o in outcomes] == ["sent"] * 20 and len(tg.sent) == 20
    assert built == []
    async with database.sessionmaker() as session:
        assert set((await session.scalars(select(Delivery.status))).all()) == {"sent"}
