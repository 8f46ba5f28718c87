"""Check outgoing text and keyboards the way the Bot API does, so bot bugs fail in tests.

Telegram counts message length in UTF-16 code units after entity parsing, accepts only a
small set of HTML tags, and limits ``callback_data`` to 64 bytes.  This module reproduces
those rules with Telegram's error descriptions.  It is deliberately a little stricter than
Telegram's own HTML parser on one point: a bare ``&`` (or an unknown named entity such as
``&nbsp;``) is rejected, because Telegram documents that ``&`` must be escaped and a bot that
forgets ``html.escape`` usually also forgets ``<``.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from tests.fakes.api_errors import ApiError, bad_request

logger = logging.getLogger(__name__)

MAX_TEXT_UTF16 = 4096
MAX_CALLBACK_DATA_BYTES = 64
ALLOWED_TAGS = frozenset(
    {
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
        "span", "tg-spoiler", "tg-emoji", "blockquote",
    }
)  # fmt: skip
PARSE_MODES = frozenset({"html", "markdown", "markdownv2"})
BUTTON_URL_SCHEMES = ("http://", "https://", "tg://")

_ENTITY = re.compile(r"&(?:#(?P<dec>[0-9]{1,8})|#[xX](?P<hex>[0-9a-fA-F]{1,7})|(?P<name>[a-zA-Z]+));")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_NAME = re.compile(r"[a-zA-Z0-9-]*")
_ATTRIBUTE = re.compile(r"""\s*([a-zA-Z0-9_-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (emoji outside the BMP count 2)."""
    return len(text.encode("utf-16-le")) // 2


def check_message_text(text: Any, parse_mode: Any) -> str:
    """Validate a message text; return the text the user would see."""
    if not isinstance(text, str):
        raise bad_request("message text is empty")
    visible = visible_text(text, parse_mode).strip()
    if not visible:
        raise bad_request("message text is empty")
    if utf16_len(visible) > MAX_TEXT_UTF16:
        raise bad_request("message is too long")
    return visible


def visible_text(text: str, parse_mode: Any) -> str:
    """The text after entity parsing; only HTML is parsed, Markdown is counted as sent."""
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if not mode:
        return text
    if mode not in PARSE_MODES:
        raise bad_request("unsupported parse_mode")
    return html_to_text(text) if mode == "html" else text


def html_to_text(html: str) -> str:
    """Parse Telegram-flavoured HTML; raise ``ApiError`` the way Telegram words it."""
    out: list[str] = []
    open_tags: list[str] = []
    i, n = 0, len(html)
    while i < n:
        ch = html[i]
        if ch == "&":
            decoded, i = _entity(html, i)
            out.append(decoded)
        elif ch != "<":
            out.append(ch)
            i += 1
        elif html.startswith("</", i):
            i = _end_tag(html, i, open_tags)
        else:
            i = _start_tag(html, i, open_tags)
    if open_tags:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{open_tags[-1]}"')
    return "".join(out)


def check_reply_markup(markup: Any) -> None:
    """Validate an inline keyboard: shape, ``callback_data`` size and button URLs."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays')
    for button in (button for row in rows for button in row):
        if not isinstance(button, dict):
            raise bad_request("can't parse inline keyboard button: InlineKeyboardButton should be an Object")
        data = button.get("callback_data")
        if data is not None and not 1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            logger.info("Rejected callback_data of %d bytes", len(str(data).encode("utf-8")))
            raise bad_request("BUTTON_DATA_INVALID")
        url = button.get("url")
        if url is not None and not str(url).startswith(BUTTON_URL_SCHEMES):
            raise bad_request("BUTTON_URL_INVALID")


LINK_PREVIEW_FLAGS = ("is_disabled", "prefer_small_media", "prefer_large_media", "show_above_text")


def check_link_preview(options: Any) -> None:
    """Refuse link preview options Telegram could not read: not an object, a non-string url, non-boolean flags."""
    if options is None:
        return
    if not isinstance(options, dict):
        raise bad_request("can't parse link preview options JSON object")
    url = options.get("url")
    if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
        raise bad_request("link preview URL is invalid")
    if any(not isinstance(options.get(flag, False), bool) for flag in LINK_PREVIEW_FLAGS):
        raise bad_request("can't parse link preview options JSON object")
    if options.get("prefer_small_media") and options.get("prefer_large_media"):
        raise bad_request("link preview can't prefer both small and large media")


def _cant_parse(reason: str) -> ApiError:
    logger.info("Rejected HTML text: %s", reason)
    return bad_request(f"can't parse entities: {reason}")


def _offset(html: str, index: int) -> int:
    """Telegram reports positions as UTF-8 byte offsets."""
    return len(html[:index].encode("utf-8"))


def _entity(html: str, i: int) -> tuple[str, int]:
    match = _ENTITY.match(html, i)
    if match is None:
        raise _cant_parse(f"Character '&' is reserved and must be escaped as '&amp;' at byte offset {_offset(html, i)}")
    if match["name"] is not None:
        decoded = _NAMED_ENTITIES.get(match["name"])
        if decoded is None:
            raise _cant_parse(f'Unsupported HTML entity "&{match["name"]};" at byte offset {_offset(html, i)}')
        return decoded, match.end()
    code = int(match["dec"]) if match["dec"] is not None else int(match["hex"], 16)
    if not 0 < code <= 0x10FFFF:
        raise _cant_parse(f"Invalid character entity at byte offset {_offset(html, i)}")
    return chr(code), match.end()


def _end_tag(html: str, i: int, open_tags: list[str]) -> int:
    close = html.find(">", i)
    if close < 0:
        raise _cant_parse(f"Unclosed end tag at byte offset {_offset(html, i)}")
    name = html[i + 2 : close].strip().lower()
    if not open_tags:
        raise _cant_parse(f"Unexpected end tag at byte offset {_offset(html, i)}")
    if name != open_tags[-1]:
        raise _cant_parse(
            f'Unmatched end tag at byte offset {_offset(html, i)}, expected "</{open_tags[-1]}>", found "</{name}>"'
        )
    open_tags.pop()
    return close + 1


def _start_tag(html: str, i: int, open_tags: list[str]) -> int:
    name_match = _TAG_NAME.match(html, i + 1)
    assert name_match is not None  # the pattern also matches the empty string
    name = name_match.group().lower()
    if name not in ALLOWED_TAGS:
        raise _cant_parse(f'Unsupported start tag "{name}" at byte offset {_offset(html, i)}')
    attributes: dict[str, str] = {}
    pos = name_match.end()
    while True:
        while pos < len(html) and html[pos].isspace():
            pos += 1
        if pos >= len(html):
            raise _cant_parse(f'Unclosed start tag "{name}" at byte offset {_offset(html, i)}')
        if html[pos] == ">":
            break
        attribute = _ATTRIBUTE.match(html, pos)
        if attribute is None or attribute.end() == pos:
            raise _cant_parse(f'Unclosed start tag "{name}" at byte offset {_offset(html, i)}')
        value = next((v for v in attribute.groups()[1:] if v is not None), "")
        attributes[attribute.group(1).lower()] = value
        pos = attribute.end()
    if name == "span" and attributes.get("class") != "tg-spoiler":
        raise _cant_parse(f'Tag "span" must have class "tg-spoiler" at byte offset {_offset(html, i)}')
    if name == "tg-emoji" and not attributes.get("emoji-id"):
        raise _cant_parse(f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {_offset(html, i)}')
    open_tags.append(name)
    return pos + 1
