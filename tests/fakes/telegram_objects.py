"""Build the JSON objects the Bot API returns (users, chats, members), complete enough for PTB.

python-telegram-bot 22.8 constructs its classes from these dicts and fails on a missing
required field, so each builder fills every field PTB requires (e.g. ``ChatFullInfo`` needs
``accent_color_id``, ``max_reaction_count`` and ``accepted_gift_types``).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram_validation import utf16_len

BOT_USERNAME = "ringkas_test_bot"
BOT_FIRST_NAME = "Ringkas Test"
DEFAULT_USER_FIRST_NAME = "Penguji"
DEFAULT_LANGUAGE = "id"
SUPERGROUP_ID_PREFIX = "-100"
_ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_pin_messages",
)  # fmt: skip


def bot_id_from_token(token: str) -> int:
    """Telegram tokens start with the bot's user id: ``123456:ABC...``."""
    head = token.partition(":")[0]
    if not head.isdigit():
        raise ValueError("a bot token looks like '123456:ABC-DEF'; the part before ':' is the bot id")
    return int(head)


def bot_user(token: str) -> dict[str, Any]:
    """The ``User`` that ``getMe`` returns."""
    return {
        "id": bot_id_from_token(token),
        "is_bot": True,
        "first_name": BOT_FIRST_NAME,
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def human_user(user_id: int, first_name: str, username: str | None) -> dict[str, Any]:
    """A person who writes to the bot."""
    user: dict[str, Any] = {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": DEFAULT_LANGUAGE,
    }
    if username:
        user["username"] = username
    return user


def guess_chat_type(chat_id: int | str) -> str:
    """Telegram's id conventions: users > 0, supergroups/channels -100..., basic groups < 0."""
    if isinstance(chat_id, str):
        return "channel"
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith(SUPERGROUP_ID_PREFIX) else "group"


def make_chat(
    chat_id: int | str,
    chat_type: str | None = None,
    *,
    first_name: str = DEFAULT_USER_FIRST_NAME,
    username: str | None = None,
) -> dict[str, Any]:
    """A ``Chat`` object for a chat the fake has (or has not) seen before."""
    kind = chat_type or guess_chat_type(chat_id)
    chat: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        chat["first_name"] = first_name
        if username:
            chat["username"] = username
    elif isinstance(chat_id, str):
        chat["title"] = chat_id.lstrip("@")
        chat["username"] = chat_id.lstrip("@")
    else:
        chat["title"] = f"Grup {chat_id}"
    return chat


def full_chat_info(chat: dict[str, Any]) -> dict[str, Any]:
    """The ``ChatFullInfo`` that ``getChat`` returns."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def chat_member(user: dict[str, Any], is_admin: bool) -> dict[str, Any]:
    """A ``ChatMemberAdministrator`` or plain ``ChatMemberMember``."""
    if not is_admin:
        return {"status": "member", "user": user}
    member: dict[str, Any] = {
        "status": "administrator",
        "user": user,
        "can_be_edited": False,
        "is_anonymous": False,
        "can_promote_members": False,
    }
    member.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    return member


def command_entities(text: str) -> list[dict[str, Any]]:
    """A ``bot_command`` entity for a text starting with ``/`` (offset 0, incl. ``@botname``)."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
