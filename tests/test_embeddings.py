"""The offline MiniLM embeddings: one session per thread gives the vectors one session gives."""

from __future__ import annotations

import numpy as np

from index.embeddings import MiniLMOnnxEmbeddings


def test_several_sessions_give_the_same_vectors_in_input_order(embeddings):
    words = "harbour levy ferry tram council budget flood barrier tariff quota grant audit".split()
    rng = np.random.default_rng(4)
    # more than one batch of 32, lengths from 1 to 60 words, a blank and a repeat
    texts = [" ".join(rng.choice(words, size=int(n))) for n in rng.integers(1, 60, size=90)] + ["", "tram"]
    texts.append(texts[5])
    single = MiniLMOnnxEmbeddings(threads=1)
    one = single.embed_array(texts)
    many = embeddings.embed_array(texts)  # the session fixture: two sessions
    assert len(embeddings._sessions) == 2 and len(single._sessions) == 1
    np.testing.assert_allclose(many, one, atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(many, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(many[-1], many[5])
    # a single text (a question) runs on one session, with the same result
    np.testing.assert_allclose(embeddings.embed_array([texts[7]])[0], one[7], atol=1e-6)
