"""Shared fixtures: where the corpus of real pages is, and the labelled data sets."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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
        message = f"corpus of real pages not found at {root} (set WIRECRAWL_CORPUS)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return root


def load_jsonl(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
