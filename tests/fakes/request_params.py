"""Turn a Bot API request body (JSON, form-encoded or multipart) into typed parameters.

python-telegram-bot 22.8's ``HTTPXRequest`` posts ``RequestData.json_parameters`` as
``application/x-www-form-urlencoded`` (``multipart/form-data`` when a file is attached): every
value is a string, and non-string values (ints, bools, ``reply_markup``, ``entities``,
``allowed_updates``) are JSON-encoded.  Other clients post a JSON object.  Both end up as the
same dict here, so method handlers see ``chat_id`` as an ``int`` and ``reply_markup`` as a dict.
"""

from __future__ import annotations

import json
import logging
from email.message import Message
from typing import Any
from urllib.parse import parse_qsl

from tests.fakes.api_errors import bad_request

logger = logging.getLogger(__name__)

# Parameters whose value is free text: a text of "123" or "true" must stay a string.
STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "next_offset",
        "inline_message_id",
        "url",
        "secret_token",
        "action",
        "language_code",
        "description",
        "short_description",
        "name",
        "title",
        "query",
        "data",
        "emoji",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "custom_title",
        "first_name",
        "last_name",
        "phone_number",
    }
)
# Integer parameters that JSON clients sometimes send as strings.
INT_PARAMS = frozenset({"chat_id", "message_id", "user_id", "offset", "limit", "from_chat_id", "message_thread_id"})


def decode_params(content_type: str, body: bytes, query: str) -> dict[str, Any]:
    """Decode query string and body into one parameter dict, raising ``ApiError`` on garbage."""
    params: dict[str, Any] = {k: _decode_value(k, v) for k, v in parse_qsl(query)}
    media_type = content_type.partition(";")[0].strip().lower()
    if not body:
        pass
    elif media_type == "application/json":
        params.update(_decode_json_object(body))
    elif media_type == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError) as exc:
            logger.warning("Rejected an unparsable form body: %s", exc)
            raise bad_request("can't parse request body") from exc
        params.update({k: _decode_value(k, v) for k, v in pairs})
    elif media_type == "multipart/form-data":
        params.update(_decode_multipart(content_type, body))
    else:
        logger.warning("Rejected a body of unsupported type %r", media_type)
        raise bad_request(f"unsupported Content-Type {media_type!r}")
    return {k: _coerce_int(k, v) for k, v in params.items()}


def _decode_json_object(body: bytes) -> dict[str, Any]:
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        logger.warning("Rejected an unparsable JSON body: %s", exc)
        raise bad_request("can't parse JSON object") from exc
    if not isinstance(value, dict):
        raise bad_request("JSON body must be an object")
    # Some clients JSON-encode nested objects even inside a JSON body.
    return {k: _decode_value(k, v) if isinstance(v, str) and v[:1] in "[{" else v for k, v in value.items()}


def _decode_value(name: str, raw: str) -> Any:
    """Undo PTB's JSON encoding of a non-string value; free-text params stay as sent."""
    if name in STRING_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _coerce_int(name: str, value: Any) -> Any:
    if name in INT_PARAMS and isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return value


def _decode_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    header = Message()
    header["content-type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise bad_request("multipart body without a boundary")
    params: dict[str, Any] = {}
    for part in body.split(b"--" + boundary.encode("latin-1"))[1:]:
        if part.startswith(b"--"):
            break
        head, sep, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        if not sep:
            raise bad_request("malformed multipart part")
        content = content.removesuffix(b"\r\n")
        name, filename = _part_names(head)
        if name is None:
            raise bad_request("multipart part without a name")
        if filename is not None:
            # Uploaded files are summarised: tests assert that a file arrived and what kind it is
            # (its first bytes, hex), not its whole content.
            params[name] = {"filename": filename, "size": len(content), "head": content[:32].hex()}
        else:
            try:
                params[name] = _decode_value(name, content.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise bad_request(f"multipart field {name!r} is not UTF-8") from exc
    return params


def _part_names(head: bytes) -> tuple[str | None, str | None]:
    """The ``name`` and ``filename`` of a part's Content-Disposition header."""
    message = Message()
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            message[key.strip()] = value.strip()
    name = message.get_param("name", header="content-disposition")
    filename = message.get_param("filename", header="content-disposition")
    return (
        name if isinstance(name, str) else None,
        filename if isinstance(filename, str) else None,
    )
