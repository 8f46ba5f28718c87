"""The error a Bot API method answers with, shaped like Telegram's ``{"ok": false, ...}`` replies."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Bot API failure: HTTP status, Telegram's description and optional ``parameters``."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters
        # When set, the fake answers these bytes as they are instead of Telegram's JSON.
        self.raw_body: bytes | None = None

    def payload(self) -> dict[str, Any] | bytes:
        """The JSON body Telegram sends for this error (or the raw bytes a test asked for)."""
        if self.raw_body is not None:
            return self.raw_body
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    """A 400 with Telegram's ``Bad Request: `` prefix."""
    return ApiError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 that tells the client how long to back off."""
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )
