"""Telegram handlers, one module per part of the command surface: readers' commands
(``commands``), admins' (``admin``), the chat language (``lang``), mute words (``mute``),
keyboard choices (``prefs``) and the "Sumber lain" button (``sources``). ``bot.telegram.app``
registers them all in one place.
"""
