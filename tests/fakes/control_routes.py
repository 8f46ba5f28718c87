"""``/control/...`` endpoints of the stand-alone fake, for driving it from curl or scripts.

``POST /control/update`` takes a raw update or ``{"chat_id", "text"[, "user_id", "chat_type"]}``
and queues it; ``GET /control/sent`` lists delivered messages, ``GET /control/calls`` every
call, ``GET /control/stats`` the counters; ``POST /control/reset`` forgets everything.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from tests.fakes.http_server import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from tests.fakes.telegram_api import FakeTelegram

logger = logging.getLogger(__name__)


def handle_control(fake: FakeTelegram, request: HttpRequest) -> HttpResponse:
    """Answer one control request; bad input gets a 400 with the reason."""
    route = (request.method, request.path.rstrip("/"))
    try:
        if route == ("POST", "/control/update"):
            return _ok({"update_id": _inject(fake, request.body)})
        if route == ("GET", "/control/sent"):
            return _ok([call.to_json() for call in fake.sent])
        if route == ("GET", "/control/calls"):
            return _ok([call.to_json() for call in fake.calls()])
        if route == ("GET", "/control/stats"):
            return _ok(fake.stats())
        if route == ("POST", "/control/reset"):
            fake.reset()
            return _ok(True)
    except (ValueError, TypeError, KeyError) as exc:
        logger.warning("Rejected control request %s %s: %s", *route, exc)
        return _json(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
    return _json(404, {"ok": False, "error_code": 404, "description": "Not Found: no such control endpoint"})


def _inject(fake: FakeTelegram, body: bytes) -> int:
    payload = json.loads(body or b"null")
    if not isinstance(payload, dict):
        raise ValueError("expected a JSON object: an update or {chat_id, text}")
    if "chat_id" in payload or "text" in payload:
        if not isinstance(payload.get("text"), str):
            raise ValueError("a message needs both chat_id and text")
        chat_id = payload["chat_id"]
        if not isinstance(chat_id, int):
            raise ValueError("chat_id must be an integer")
        return fake.send_text(
            chat_id,
            str(payload["text"]),
            user_id=payload.get("user_id"),
            chat_type=payload.get("chat_type", "private"),
        )
    if len(payload.keys() - {"update_id"}) != 1:
        raise ValueError("an update has exactly one field besides update_id")
    return fake.add_update(payload)


def _ok(result: Any) -> HttpResponse:
    return _json(200, {"ok": True, "result": result})


def _json(status: int, payload: dict[str, Any]) -> HttpResponse:
    return HttpResponse(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
