"""Shared fixtures: where the corpus of real pages is, and the labelled data sets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from tests.redis_server import start_redis, wait_for_redis

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def corpus_root() -> Path:
    """``$WIRECRAWL_CORPUS`` or ``../shared/corpus`` beside the repository."""
    return Path(os.environ.get("WIRECRAWL_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The corpus folder. Missing: an error under ``CI=true`` (never a silent skip there), else a skip."""
    root = corpus_root()
    if not (root / "MANIFEST.md").is_file():
        missing(f"corpus of real pages not found at {root} (set WIRECRAWL_CORPUS)")
    return root


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def missing(message: str) -> NoReturn:
    """Something a test needs is not here: an error under ``CI=true`` (``.ci/run`` provides all of
    it; never a silent skip there), else a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def mount_namespace() -> None:
    """Mounts of the test's own (``unshare -m``, as root): a read-only or a small filesystem. Missing:
    an error under ``CI=true`` (``.ci/run`` runs as root), else a skip."""
    if shutil.which("unshare") and os.geteuid() == 0 and subprocess.run(
            ["unshare", "-m", "true"], capture_output=True).returncode == 0:
        return
    missing("needs root and unshare to mount a read-only or a small filesystem")


@pytest.fixture(scope="session")
def strace() -> str:
    """The ``strace`` that injects faults at exact system calls. Missing: an error under ``CI=true``
    (``.ci/run`` installs it), else a skip."""
    found = shutil.which("strace")
    if found is None:
        missing("strace not found (apt-get install strace)")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    """A headless Chromium (Debian's ``chromium``) for the tests of what a browser renders. Missing:
    an error under ``CI=true`` (``.ci/run`` installs it), else a skip."""
    from tests.browser import find_chromium

    found = find_chromium()
    if found is None:
        missing("chromium not found (apt-get install chromium)")
    return found


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A real Redis on 127.0.0.1: ``$WIRECRAWL_TEST_REDIS_URL`` (``.ci/run`` starts one), else a
    ``redis-server`` started here for the session. Missing: an error under ``CI=true``, else a skip."""
    url = os.environ.get("WIRECRAWL_TEST_REDIS_URL")
    process = None
    if not url:
        started = start_redis(tmp_path_factory.mktemp("redis"))
        if started is None:
            missing("redis-server not found (apt-get install redis-server) and no WIRECRAWL_TEST_REDIS_URL")
        process, url = started
    if not wait_for_redis(url):
        pytest.fail(f"Redis at {url} does not answer")
    yield url
    if process is not None:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key namespace of the test's own, removed afterwards."""
    import redis

    prefix = f"wirecrawl-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


#: fixtures that start a real process or server: a test using one belongs to the end-to-end tier
_E2E_FIXTURES = frozenset({"redis_url", "strace", "mount_namespace"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that use a real Redis or strace ``e2e`` even where their module forgot to."""
    for item in items:
        if _E2E_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.e2e)
