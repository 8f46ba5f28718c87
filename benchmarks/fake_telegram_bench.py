"""Measure how many sendMessage calls per second go through the fake Telegram Bot API.

The fake (``tests.fakes.FakeTelegram``) must not be the bottleneck when benchmarks time digest
fan-out.  The server runs in a thread of this process, exactly as in the tests, and this
script sends N messages with a fixed number in flight from two clients:

* ``ptb``: one ``telegram.Bot`` (PTB 22.8 over httpx), what the bot and its tests use;
* ``raw``: plain keep-alive HTTP/1.1 connections sending the same form-encoded request,
  whose own cost is small, so the row shows what the server can take.

Besides wall-clock rates it prints CPU milliseconds per message for the server thread and
for the client (everything else in the process), which stay meaningful on a busy machine.
With ``--rate-limit`` it also shows flood control answering 429 to a client that does not
back off.

    .venv/bin/python benchmarks/fake_telegram_bench.py [--messages 2000] [--in-flight 1,8,64]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `tests.fakes` imports when run as a plain script

from telegram import Bot  # noqa: E402
from telegram.error import RetryAfter  # noqa: E402

from tests.fakes import FakeTelegram  # noqa: E402

logger = logging.getLogger(__name__)

TOKEN = "123456:BENCH"
DEFAULT_MESSAGES = 2000
DEFAULT_IN_FLIGHT = "1,8,64"
WARM_UP_MESSAGES = 200
CHATS = 500  # spread over many chats, as a digest fan-out would be
SAMPLE_TEXT = "<b>Ringkasan pagi</b>\n• Harga beras naik di Jakarta &amp; sekitarnya."
_CONTENT_LENGTH = re.compile(rb"content-length:\s*(\d+)", re.IGNORECASE)

Sender = Callable[[int, int], Awaitable[int]]  # (messages, in_flight) -> 429s seen


def ptb_sender(bot: Bot) -> Sender:
    """Send through ``Bot.send_message`` with at most ``in_flight`` outstanding."""

    async def send(messages: int, in_flight: int) -> int:
        gate, refused = asyncio.Semaphore(in_flight), 0

        async def one(i: int) -> None:
            nonlocal refused
            async with gate:
                try:
                    await bot.send_message(1000 + i % CHATS, SAMPLE_TEXT, parse_mode="HTML")
                except RetryAfter:
                    refused += 1

        await asyncio.gather(*(one(i) for i in range(messages)))
        return refused

    return send


def raw_sender(tg: FakeTelegram) -> Sender:
    """Send PTB's form-encoded request over ``in_flight`` keep-alive connections."""
    body = urlencode({"chat_id": "1001", "text": SAMPLE_TEXT, "parse_mode": "HTML"}).encode()
    request = (
        f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1:{tg.port}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body

    async def connection(count: int) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", tg.port)
        refused = 0
        for _ in range(count):
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            match = _CONTENT_LENGTH.search(head)
            await reader.readexactly(int(match[1]) if match else 0)
            refused += head.startswith(b"HTTP/1.1 429")
        writer.close()
        await writer.wait_closed()
        return refused

    async def send(messages: int, in_flight: int) -> int:
        shares = [messages // in_flight + (i < messages % in_flight) for i in range(in_flight)]
        return sum(await asyncio.gather(*(connection(n) for n in shares if n)))

    return send


async def measure(tg: FakeTelegram, send: Sender, messages: int, in_flight: int) -> str:
    """One table row: wall rate and CPU per message split between server and client."""
    await send(min(WARM_UP_MESSAGES, messages), in_flight)
    tg.reset()
    server_cpu, process_cpu = tg.server_cpu_seconds(), time.process_time()
    started = time.perf_counter()
    refused = await send(messages, in_flight)
    seconds = time.perf_counter() - started
    server_ms = (tg.server_cpu_seconds() - server_cpu) * 1000 / messages
    client_ms = (time.process_time() - process_cpu) * 1000 / messages - server_ms
    return (
        f"{messages:>9} {in_flight:>9} {seconds:>8.2f} {messages / seconds:>8.0f} "
        f"{server_ms:>10.3f} {client_ms:>10.3f} {len(tg.sent):>10} {refused:>6}"
    )


async def run(messages: int, in_flights: list[int], rate_limit: int | None) -> list[str]:
    """Measure both clients at each concurrency; return the table lines."""
    lines = [
        f"{'client':>6} {'messages':>9} {'in flight':>9} {'seconds':>8} {'msg/s':>8} "
        f"{'server ms':>10} {'client ms':>10} {'delivered':>10} {'429s':>6}"
    ]
    with FakeTelegram(TOKEN, rate_limit=rate_limit) as tg:
        async with Bot(TOKEN, base_url=tg.api_url) as bot:
            for name, send in (("ptb", ptb_sender(bot)), ("raw", raw_sender(tg))):
                for in_flight in in_flights:
                    lines.append(f"{name:>6} " + await measure(tg, send, messages, in_flight))
    return lines


def main() -> int:
    """Parse options, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=DEFAULT_MESSAGES)
    parser.add_argument("--in-flight", default=DEFAULT_IN_FLIGHT, help="comma-separated list")
    parser.add_argument("--rate-limit", type=int, default=None, help="fake's sends/s limit")
    args = parser.parse_args()
    try:
        in_flights = [int(part) for part in args.in_flight.split(",")]
    except ValueError:
        parser.error("--in-flight takes integers separated by commas, e.g. 1,8,64")
    if args.messages < 1 or min(in_flights) < 1:
        parser.error("--messages and --in-flight must be positive")
    logging.basicConfig(level=logging.WARNING)
    limit = "none" if args.rate_limit is None else f"{args.rate_limit}/s"
    print(f"fake Telegram sendMessage throughput (server thread in this process, limit {limit})")
    print("server ms / client ms = CPU milliseconds per message in the server thread / the rest")
    for line in asyncio.run(run(args.messages, in_flights, args.rate_limit)):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
