"""Property-based: the extractor never crashes and every span slices back to its text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from index.attribute import extract
from index.furniture import find_furniture
from index.models import Article
from index.nlp import load_nlp
from index.sentences import split_sentences

PIECES = [
    "“", "”", '"', "''", "said", "says", "told reporters", "according to", ",", ".", ":",
    "\n", "\n\n", "Ana Kovec", "Kovec", "he", "she", "the ministry", "that", "called for",
    "warned", "the bridge will reopen", "We will win", "Advertisement", "Share this",
    "Valdoria’s president", "who", "(D-Val.)", "«", "»", "—", "?", "!", "it", "added",
]

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map(" ".join),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200),
)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts)
@example(text="» “ said ”")  # a subject of punctuation alone (is_section_label found no words)
def test_never_crashes_and_spans_slice_back(nlp, text):
    article = Article(id="p", text=text, content_hash="x", furniture=find_furniture(text))
    doc = nlp(text)
    sentences = split_sentences(article, doc)
    result = extract(doc, article, sentences)
    sentence_ids = {s.id for s in sentences}
    for n, a in enumerate(result.attributions):
        assert a.id == f"p:a{n}"
        assert a.content
        for span in [a.source, a.cue, *a.content]:
            if span is not None:
                assert 0 <= span.start < span.end <= len(text)
                assert text[span.start : span.end] == span.text
        assert set(a.sentence_ids) <= sentence_ids
        assert (a.speaker is None) == (a.speaker_id is None)
    ids = [s.id for s in result.speakers]
    assert len(ids) == len(set(ids))
    assert {a.speaker_id for a in result.attributions if a.speaker_id} <= set(ids)


CLOSERS = ('"', "”", "»")
QUOTE_PIECES = [
    "Kovec said", "the ferry will run", "We will win", "It is over", "Why not", "he said",
    "Then she left", "Ana Kovec", "“", '"', "«", ".", ",", "?", "!", ":",
]
# words and marks joined with or without a space, paragraphs separated by blank lines
quoted_texts = st.lists(
    st.tuples(st.sampled_from(QUOTE_PIECES), st.sampled_from(["", " ", " ", "\n\n"])),
    min_size=1, max_size=30,
).map(lambda parts: "".join(piece + sep for piece, sep in parts))
closing = st.sampled_from(CLOSERS)


def _closing_mark_at(text: str, i: int) -> bool:
    """A closing quotation mark at ``i``: glued to the word or stop before it."""
    return 0 < i < len(text) and text[i] in CLOSERS and not text[i - 1].isspace()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=quoted_texts, mark=closing)
def test_a_sentence_keeps_its_closing_quotation_mark(nlp, text, mark):
    text = text.replace('"', mark) if mark != '"' else text
    article = Article(id="p", text=text, content_hash="x", furniture=find_furniture(text))
    for s in split_sentences(article, nlp(text)):
        assert text[s.start : s.end] == s.text
        assert not _closing_mark_at(text, s.end), (s.text, text)
        assert not _closing_mark_at(text, s.start), (s.text, text)


@pytest.mark.parametrize("mark", ['"', "”"])
@pytest.mark.parametrize("tail", ["\n\nThe council met.", "", " Then she left."])
def test_a_quotation_closing_a_sentence_stays_in_it(nlp, mark, tail):
    opener = "“" if mark == "”" else '"'
    text = (f"{opener}We have known about the cracks since 2021,{mark} Ana Kovec said. "
            f"{opener}Every month we wait makes the repair more expensive.{mark}{tail}")
    article = Article(id="p", text=text, content_hash="x", furniture=[])
    texts = [s.text for s in split_sentences(article, nlp(text))]
    assert f"{opener}Every month we wait makes the repair more expensive.{mark}" in texts


# -- the linear-time helpers give what the obvious quadratic code gives ------------------------


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, bounds=st.tuples(st.integers(0, 60), st.integers(0, 60)))
def test_entities_within_a_range_are_the_spans_entities(nlp, text, bounds):
    from index.attribute.context import ents_within

    doc = nlp(text)
    start, end = min(bounds[0], len(doc)), min(max(bounds), len(doc))
    assert [(e.start, e.end, e.label_) for e in ents_within(doc, start, end)] == \
        [(e.start, e.end, e.label_) for e in doc[start:end].ents]


spans = st.tuples(st.integers(0, 60), st.integers(1, 30)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=200, deadline=None)
@given(cues=st.lists(st.tuples(st.integers(0, 25), st.lists(spans, max_size=3)), max_size=12))
def test_dropping_nested_cues_matches_comparing_every_pair(cues):
    import spacy

    from index.attribute.assemble import _cue_chars, drop_nested
    from index.attribute.rules import Candidate

    doc = spacy.blank("en")(" ".join(["word"] * 30))  # token i covers characters 5i .. 5i+4
    ctx = type("Ctx", (), {"doc": doc})()
    cands = [Candidate("test", (i, i + 1), None, content, "direct") for i, content in cues]
    expected = [c for c in cands if not any(
        o is not c and any(s <= _cue_chars(ctx, c)[0] and _cue_chars(ctx, c)[1] <= e for s, e in o.content)
        for o in cands)]
    assert drop_nested(ctx, cands) == expected


@settings(max_examples=200, deadline=None)
@given(lengths=st.lists(st.integers(1, 9), min_size=1, max_size=12), content=st.lists(spans, max_size=4))
def test_sentence_ids_of_content_match_a_scan_of_every_sentence(lengths, content):
    from index.attribute import _sentence_ids
    from index.models import Sentence, Span

    sentences, start = [], 0
    for n, length in enumerate(lengths):
        sentences.append(Sentence(id=f"a:{n}", article_id="a", n=n, start=start, end=start + length,
                                  text="x" * length, paragraph=0))
        start += length + 1
    spans_ = [Span(start=s, end=e, text="") for s, e in content]
    expected = [s.id for s in sentences if any(c.start < s.end and s.start < c.end for c in spans_)]
    assert _sentence_ids(spans_, sentences, [s.end for s in sentences]) == expected
