"""A throw-away ``redis-server`` on 127.0.0.1, for the distributed-mode tests and benchmark."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import redis


def start_redis(folder: Path, port: int = 0) -> tuple[subprocess.Popen, str] | None:
    """A ``redis-server`` on ``port`` (0: a free one), keeping nothing on disk (its files in
    ``folder``), and its URL once it answers; ``None`` when the binary is not installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        return None
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    wait_for_redis(url)
    return process, url


def wait_for_redis(url: str, seconds: float = 5.0) -> bool:
    """Whether the Redis at ``url`` answers within ``seconds``."""
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + seconds
    while True:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
