"""Text folding (bot.text.fold): the ASCII fast path changes nothing."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from bot.text import _QUOTES, fold


def slow_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


@given(st.text() | st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_equals_the_full_normalisation(text):
    assert fold(text) == slow_fold(text)


def test_fold_examples():
    assert fold("Zelenskiy’s “Plan” — Ünal") == "zelenskiy's \"plan\" - unal"
    assert fold("HARBOUR Levy") == "harbour levy"
