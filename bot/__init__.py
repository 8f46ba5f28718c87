"""Ringkas: the application — configuration, storage, feeds, scheduling and Telegram."""
