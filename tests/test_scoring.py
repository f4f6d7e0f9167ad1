"""The benchmarks' one scorer (:mod:`benchmarks.scoring`) judges texts, not their byte spellings."""

from __future__ import annotations

import unicodedata

from benchmarks.scoring import prf, tokens

TEXT = "Die Präsidentin der Ärztekammer lobt den unermüdlichen Einsatz der Kolleginnen und Kollegen."


def test_canonically_equal_texts_score_one() -> None:
    decomposed = unicodedata.normalize("NFD", TEXT)
    assert decomposed != TEXT
    assert prf(TEXT, decomposed) == (1.0, 1.0, 1.0)
    assert tokens(decomposed) == tokens(TEXT)


def test_cjk_characters_are_tokens() -> None:
    assert tokens("東京都は三日 Tokyo") == ["東", "京", "都", "は", "三", "日", "Tokyo"]
