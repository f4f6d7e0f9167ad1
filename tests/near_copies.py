"""A labelled set for near-duplicate clustering, built from real story texts (the corpus's ``aeb-dev``
reference bodies and UPI/Yonhap text excerpts): copies of each story with the edits partner sites and
later versions make (trimmed ending, furniture, editor's note, corrected sentence, dateline), and
distinct stories, among them the pairs of different stories whose vocabulary overlaps most (same
topic, different reporting: :func:`same_topic_pairs`).

Each item is ``(key, text, story)``: items with the same ``story`` are copies of one story."""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

FURNITURE = ("Read more: Top stories of the day, delivered every morning to your inbox.\n\n"
             "Copyright 2019 The Associated Press. All rights reserved. This material may not be "
             "published, broadcast, rewritten or redistributed without permission.")
NOTE = ("Editor's note: This story has been updated to correct the spelling of a name and to add "
        "comment from officials.")


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    story: str
    edit: str


def real_texts(corpus: Path) -> dict[str, str]:
    """Story texts of at least 120 words, by a short key."""
    texts: dict[str, str] = {}
    truth = json.loads((corpus / "aeb-dev" / "ground-truth.json").read_text())
    for key, entry in sorted(truth.items()):
        texts[f"aeb:{key[:10]}"] = entry["articleBody"]
    for path in sorted(corpus.glob("*/text/*.txt")):
        lines = path.read_text().splitlines()
        texts[f"{path.parent.parent.name}:{path.stem}"] = "\n\n".join(lines[1:])
    return {k: v for k, v in texts.items() if len(v.split()) >= 120}


def _paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    return parts if len(parts) > 1 else re.split(r"(?<=[.!?])\s+", text.strip())


def _trim(text: str, share: float) -> str:
    """The text without its last paragraphs, dropping at most ``share`` of its words."""
    parts = _paragraphs(text)
    total = sum(len(p.split()) for p in parts)
    while len(parts) > 2 and (total - sum(len(p.split()) for p in parts[:-1])) <= share * total \
            and sum(len(p.split()) for p in parts[:-1]) >= (1 - share) * total:
        parts = parts[:-1]
    return "\n\n".join(parts)


def _correct(text: str, rng: random.Random) -> str:
    """One sentence changed: a number or a name replaced, a clause added."""
    parts = _paragraphs(text)
    n = rng.randrange(len(parts))
    parts[n] = re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + 1), parts[n], count=1)
    parts[n] = parts[n].rstrip(".") + ", officials said on Tuesday."
    return "\n\n".join(parts)


def copies(key: str, text: str, rng: random.Random) -> list[Item]:
    """The story as partner sites and later versions carry it."""
    edits = {
        "same": text,
        "trimmed": _trim(text, 0.25),
        "furniture": text + "\n\n" + FURNITURE,
        "editor_note": NOTE + "\n\n" + _correct(text, rng),
        "dateline": "WASHINGTON (AP) — " + text,
        "partner": "NEW YORK (AP) — " + _trim(_correct(text, rng), 0.2) + "\n\n" + FURNITURE,
    }
    return [Item(f"{key}/{name}", body, key, name) for name, body in edits.items()]


def _vocabulary(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{5,}", text.lower())}


def same_topic_pairs(texts: dict[str, str], count: int) -> list[tuple[str, str]]:
    """The ``count`` pairs of different texts whose vocabularies overlap most."""
    vocab = {k: _vocabulary(v) for k, v in texts.items()}
    keys = sorted(texts)
    scored = []
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            union = vocab[a] | vocab[b]
            if union:
                scored.append((len(vocab[a] & vocab[b]) / len(union), a, b))
    return [(a, b) for _score, a, b in sorted(scored, reverse=True)[:count]]


def labelled_set(corpus: Path, *, seed: int = 7, copied: int = 40) -> list[Item]:
    """``copied`` stories with their copies and every other text as a distinct story (among them the
    pairs of :func:`same_topic_pairs`), in a shuffled order of arrival."""
    rng = random.Random(seed)
    texts = real_texts(corpus)
    keys = sorted(texts)
    chosen = set(rng.sample(keys, min(copied, len(keys))))
    items: list[Item] = []
    for key in keys:
        if key in chosen:
            items += copies(key, texts[key], rng)
        else:
            items.append(Item(key, texts[key], key, "original"))
    rng.shuffle(items)
    return items


def pair_scores(items: list[Item], clusters: dict[str, str]) -> tuple[float, float, int]:
    """Pairwise precision and recall of ``clusters`` (item key -> cluster) against the labels, and the
    number of predicted clusters holding more than one labelled story."""
    true_pairs = predicted_pairs = both = 0
    for i, a in enumerate(items):
        for b in items[i + 1:]:
            same_story = a.story == b.story
            same_cluster = clusters[a.key] == clusters[b.key]
            true_pairs += same_story
            predicted_pairs += same_cluster
            both += same_story and same_cluster
    merged = {}
    for item in items:
        merged.setdefault(clusters[item.key], set()).add(item.story)
    return (both / predicted_pairs if predicted_pairs else 1.0, both / true_pairs if true_pairs else 1.0,
            sum(1 for stories in merged.values() if len(stories) > 1))

