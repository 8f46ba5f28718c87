"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks of the Ringkas bot.

``FakeTelegram`` serves ``/bot<token>/<method>`` from a background thread with its own event
loop, so a python-telegram-bot ``Application`` in the test (or a ``ringkas run`` subprocess
pointed at it with ``TELEGRAM_API_URL``) talks real HTTP to it.  It validates like Telegram
(text length, HTML, button data), can inject faults and flood limits, records every call, and
keeps its state across client restarts.  Run ``python -m tests.fakes.telegram_api --port 8081``
to serve it stand-alone with ``/control/...`` endpoints for manual testing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import threading
import time
from collections.abc import Awaitable, Sequence
from typing import Any

from tests.fakes.api_errors import ApiError, too_many_requests
from tests.fakes.control_routes import handle_control
from tests.fakes.fake_controls import FakeControls
from tests.fakes.http_server import HttpRequest, HttpResponse
from tests.fakes.request_params import decode_params
from tests.fakes.send_limits import SEND_METHODS, SendRateLimiter
from tests.fakes.server_thread import ServerThread
from tests.fakes.telegram_inline import InlineControls
from tests.fakes.telegram_methods import BotApi
from tests.fakes.telegram_objects import bot_id_from_token
from tests.fakes.telegram_places import PlacesControls
from tests.fakes.telegram_state import FakeState
from tests.fakes.telegram_updates import button_press, queue_update, take_updates, user_message

logger = logging.getLogger(__name__)

DEFAULT_TOKEN = "123:ABC"
DEFAULT_CLI_PORT = 8081
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
CONFLICT_POLLER = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
_UNAUTHORIZED = ApiError(401, "Unauthorized")
_NOT_FOUND = ApiError(404, "Not Found: method not found")


class FakeTelegram(FakeControls, PlacesControls, InlineControls):
    """A Bot API server in a background thread: ``with FakeTelegram() as tg: ...``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        rate_limit: int | None = None,
        *,
        per_chat_limit: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        control: bool = False,
    ) -> None:
        bot_id_from_token(token)  # fail early on a malformed token
        super().__init__(FakeState(token, SendRateLimiter(rate_limit, per_chat_limit)))
        self.token = token
        self._api = BotApi(self._state)
        self._control = control
        self._server = ServerThread(self._handle, host, port, name="fake-telegram")
        self._poll_waiters: set[asyncio.Future[None]] = set()

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def start(self) -> FakeTelegram:
        """Bind the port and serve from a daemon thread; return once it accepts connections."""
        self._server.start()
        logger.info("Fake Telegram Bot API listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Close every connection and stop the server thread (recorded state stays readable)."""
        self._server.stop()
        logger.info("Fake Telegram Bot API stopped")

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return self._server.port

    def server_cpu_seconds(self) -> float:
        """CPU time spent by the server thread so far (to separate server from client cost)."""
        return self._server.cpu_seconds()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``; PTB's ``base_url`` is this plus ``/bot``."""
        return f"http://{self._server.host}:{self._server.port}"

    @property
    def api_url(self) -> str:
        """The value for PTB's ``base_url`` and for ``TELEGRAM_API_URL``."""
        return f"{self.base_url}/bot"

    @property
    def base_file_url(self) -> str:
        """The value for PTB's ``base_file_url`` (file downloads answer 404)."""
        return f"{self.base_url}/file/bot"

    # -- injecting updates -------------------------------------------------------------------

    def add_update(self, raw: dict[str, Any]) -> int:
        """Queue a raw update dict for getUpdates; return its ``update_id``."""
        with self._state.cond:
            update_id = queue_update(self._state, raw)
        self._wake_pollers_threadsafe()
        return update_id

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str = "private",
        username: str | None = "penguji",
        first_name: str = "Penguji",
    ) -> int:
        """Queue a user's text message (``/commands`` get a bot_command entity)."""
        with self._state.cond:
            message = user_message(
                self._state, chat_id, text, user_id=user_id, chat_type=chat_type,
                username=username, first_name=first_name,
            )  # fmt: skip
            return self.add_update({"message": message})

    def press_button(
        self, chat_id: int, user_id: int, data: str, message_id: int, *, language_code: str | None = None
    ) -> int:
        """Queue a callback_query as if the user pressed a button on a bot message (from an app in ``language_code``)."""
        with self._state.cond:
            query = button_press(self._state, chat_id, user_id, data, message_id, language_code)
            return self.add_update({"callback_query": query})

    def _wake_pollers_threadsafe(self) -> None:
        self._server.call_soon(self._wake_pollers)

    def _wake_pollers(self) -> None:
        for waiter in self._poll_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._poll_waiters.clear()

    # -- answering HTTP ----------------------------------------------------------------------

    def _handle(self, request: HttpRequest) -> HttpResponse | Awaitable[HttpResponse]:
        path = request.path
        if not path.startswith("/bot"):
            if self._control and path.startswith("/control/"):
                return handle_control(self, request)
            return _respond(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, _, method = path[4:].partition("/")
        if token != self.token:
            logger.info("Answered 401 to a request with a wrong token")
            return _respond(401, _UNAUTHORIZED.payload())
        now = time.monotonic()
        try:
            params = decode_params(request.headers.get("content-type", ""), request.body, request.query)
        except ApiError as exc:
            with self._state.cond:
                return _respond(*self._answer(method, {}, now, exc))
        if method == "getUpdates":
            return self._get_updates(params, now)
        if self._state.delay > 0:
            return self._answer_later(method, params, now)
        with self._state.cond:
            return _respond(*self._answer(method, params, now))

    def _answer(
        self, method: str, params: dict[str, Any], now: float, error: ApiError | None = None
    ) -> tuple[int, dict[str, Any] | bytes]:
        """Run one method (faults and flood limits first) and record it; ``cond`` is held."""
        state = self._state
        try:
            if error is not None:
                raise error
            handler = self._api.methods.get(method)
            if handler is None:
                raise _NOT_FOUND
            fault = state.faults.take(method)
            if fault is not None:
                raise fault
            if method in SEND_METHODS:
                retry_after = state.limiter.admit(params.get("chat_id"), now)
                if retry_after is not None:
                    raise too_many_requests(retry_after)
            result = handler(params)
        except ApiError as exc:
            logger.debug("%s answered %d: %s", method, exc.status, exc.description)
            self._record(method, params, now, exc.status, None, exc.description)
            return exc.status, exc.payload()
        self._record(method, params, now, 200, result, None)
        return 200, {"ok": True, "result": result}

    async def _answer_later(self, method: str, params: dict[str, Any], now: float) -> HttpResponse:
        await asyncio.sleep(self._state.delay)
        with self._state.cond:
            return _respond(*self._answer(method, params, now))

    async def _get_updates(self, params: dict[str, Any], now: float) -> HttpResponse:
        """Long polling: answer at once if updates wait, else when one arrives or at timeout."""
        state, loop = self._state, asyncio.get_running_loop()
        if state.delay > 0:
            await asyncio.sleep(state.delay)
        timeout = params.get("timeout", 0)
        with state.cond:
            if not isinstance(timeout, int | float) or timeout < 0:
                return _respond(*self._answer("getUpdates", params, now, _bad_timeout()))
            fault = state.faults.take("getUpdates")
            if fault is not None:
                return _respond(*self._answer("getUpdates", params, now, fault))
            state.poll_generation += 1
            generation = state.poll_generation
        self._wake_pollers()  # an older poll still waiting learns it was superseded
        deadline = loop.time() + timeout
        while True:
            with state.cond:
                try:
                    if state.webhook.get("url"):
                        raise ApiError(409, CONFLICT_WEBHOOK)
                    if generation != state.poll_generation:
                        raise ApiError(409, CONFLICT_POLLER)
                    updates = take_updates(state, params)
                except ApiError as exc:
                    return _respond(*self._answer("getUpdates", params, now, exc))
                remaining = deadline - loop.time()
                if updates or remaining <= 0:
                    self._record("getUpdates", params, now, 200, updates, None)
                    return _respond(200, {"ok": True, "result": updates})
            # Registered before the next await, so a wake-up scheduled meanwhile is not lost.
            waiter: asyncio.Future[None] = loop.create_future()
            self._poll_waiters.add(waiter)
            self._count_waiting_poll(+1)
            try:
                await asyncio.wait({waiter}, timeout=remaining)
            finally:
                self._poll_waiters.discard(waiter)
                self._count_waiting_poll(-1)

    def _count_waiting_poll(self, change: int) -> None:
        with self._state.cond:
            self._state.polls_waiting += change
            self._state.cond.notify_all()


def _bad_timeout() -> ApiError:
    return ApiError(400, "Bad Request: timeout must be a non-negative number")


def _respond(status: int, payload: dict[str, Any] | bytes) -> HttpResponse:
    if isinstance(payload, bytes):
        return HttpResponse(status, payload)
    return HttpResponse(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """Serve the fake stand-alone until Ctrl-C, with ``/control/...`` endpoints."""
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API for manual testing")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_CLI_PORT)
    parser.add_argument("--token", default=DEFAULT_TOKEN, help="the only token accepted")
    parser.add_argument("--rate-limit", type=int, default=None, help="sends per second overall")
    parser.add_argument("--per-chat-limit", action="store_true", help="also 1 send/s per chat")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every call")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    fake = FakeTelegram(
        args.token, args.rate_limit, per_chat_limit=args.per_chat_limit,
        host=args.host, port=args.port, control=True,
    )  # fmt: skip
    try:
        fake.start()
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Fake Telegram Bot API on {fake.base_url}", flush=True)
    print(f"  TELEGRAM_API_URL={fake.api_url}  (token {args.token})", flush=True)
    print(f"  POST {fake.base_url}/control/update  GET {fake.base_url}/control/sent", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
