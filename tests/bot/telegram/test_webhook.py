"""Webhook mode: ``ringkas run --webhook-url`` registers the webhook with its secret token and
answers updates posted to it; posts without the secret are refused."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tests.fakes import FakeTelegram

ROOT = Path(__file__).resolve().parents[3]
SECRET = "rahasia-webhook-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def post(port: int, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}/telegram", json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return 0  # not listening yet


def test_webhook_registers_with_secret_and_answers(tmp_path: Path) -> None:
    port = free_port()
    with FakeTelegram() as tg:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": tg.api_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'hook.db'}",
            "RINGKAS_SEED_FEEDS": "false",
            "RINGKAS_INGEST": "false",
            "RINGKAS_WEBHOOK_SECRET": SECRET,
        }
        log = (tmp_path / "bot.log").open("wb")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "run",
                "--webhook-url",
                "https://bot.example.org/telegram",
                "--webhook-listen",
                "127.0.0.1",
                "--webhook-port",
                str(port),
            ],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=log,
        )
        try:
            assert tg.wait_until(lambda: bool(tg.calls("setWebhook")), timeout=30), (tmp_path / "bot.log").read_text()
            params = tg.calls("setWebhook")[-1].params
            assert params["url"] == "https://bot.example.org/telegram" and params["secret_token"] == SECRET
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "text": "/start",
                    "chat": {"id": 555, "type": "private"},
                    "from": {"id": 555, "is_bot": False, "first_name": "A"},
                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
                },
            }
            deadline = time.monotonic() + 20
            while post(port, {**update, "update_id": 0}, SECRET) != 200 and time.monotonic() < deadline:
                time.sleep(0.2)  # the webhook server may still be starting
            assert tg.wait_until(lambda: bool(tg.messages_to(555)), timeout=20)
            assert "Ringkas" in (tg.messages_to(555)[0].text or "")
            assert post(port, {**update, "update_id": 2}, None) == 403
            assert post(port, {**update, "update_id": 3}, "wrong") == 403
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        assert tg.token not in (tmp_path / "bot.log").read_text()
