"""The PolNeAR scorer on a hand-made article with hand-computed figures.

Text (tokens numbered): Ana(0) Kovec(1) said(2) the(3) bridge(4) would(5) reopen(6) .(7)
“(8) It(9) is(10) safe(11) ,(12) ”(13) Brenner(14) said(15) .(16)

Gold: G1 = Ana Kovec / said / "the bridge would reopen" (tokens 3-6);
      G2 = Brenner / said / "“It is safe,”" (tokens 8-13, given as two pieces).
Predicted: P1 = Ana Kovec / said / "the bridge would" (3-5);
           P2 = Brenner / said / "“It is safe,”" (exact);
           P3 = no source / cue "safe" / "It is" (9-10) — a false positive.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from index.evaluate import Attr, Counts, gold_files, read_ann, score_article, summarise

DATA = Path(__file__).resolve().parent / "data" / "polnear_mini"


@pytest.fixture(scope="module")
def article():
    [(name, text_path, ann)] = gold_files(DATA)
    return name, text_path.read_text(encoding="utf-8"), ann


def span(text: str, fragment: str, occurrence: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(fragment, at + 1)
    return at, at + len(fragment)


def test_first_annotator_file_is_used(article):
    name, _, ann = article
    assert name == "valdoria_2020-01-01_bridge"
    assert ann.name.endswith("_aaaa.ann")


def test_read_ann_joins_discontinuous_pieces(article):
    _, text, ann = article
    gold = read_ann(ann, text)
    assert len(gold) == 2
    assert [text[s:e] for s, e in gold[1].content] == ["“It is safe,”"]
    assert [text[s:e] for s, e in gold[0].source] == ["Ana Kovec"]


@pytest.fixture(scope="module")
def figures(article):
    _, text, ann = article
    gold = read_ann(ann, text)
    predicted = [
        Attr(source=[span(text, "Ana Kovec")], cue=[span(text, "said")], content=[span(text, "the bridge would")]),
        Attr(source=[span(text, "Brenner")], cue=[span(text, "said", 1)], content=[span(text, "“It is safe,”")]),
        Attr(source=[], cue=[span(text, "safe")], content=[span(text, "It is")]),
    ]
    counts = Counts()
    score_article(counts, predicted, gold, text)
    return summarise(counts)


def test_content_figures(figures):
    # union of predicted content tokens {3,4,5,8..13} = 9, all in gold; gold has 10
    assert figures["content_overlap"] == {"p": 1.0, "r": 0.9, "f1": pytest.approx(0.9474, abs=1e-4)}
    # exact: only P2 (cue linked, same spans); 1 of 3 predicted, 1 of 2 gold
    assert figures["content_exact"] == {"p": 0.3333, "r": 0.5, "f1": 0.4}


def test_cue_figures(figures):
    assert figures["cue_exact"] == {"p": 0.6667, "r": 1.0, "f1": 0.8}
    assert figures["cue_overlap"] == {"p": 0.6667, "r": 1.0, "f1": 0.8}


def test_linked_source_figures(figures):
    # P3 has no source and is not scored for sources; P1 and P2 link to G1 and G2
    assert figures["source_exact"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    assert figures["source_overlap"] == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_quote_matching(figures):
    # @30: P1-G1 (coverage min(3/3, 3/4) = .75), P2-G2 (1.0); P3-G2 (.33) loses to P2
    assert figures["quote@30"] == {"p": 0.6667, "r": 1.0, "f1": 0.8}
    # @80: only P2-G2
    assert figures["quote@80"] == {"p": 0.3333, "r": 0.5, "f1": 0.4}


def test_speaker_accuracy(figures):
    assert figures["speaker_accuracy"] == 1.0


def test_cli_eval_on_a_folder_without_a_corpus_is_a_clear_error(tmp_path, capsys):
    from ui import cli

    assert cli.main(["eval", "attribution", str(tmp_path), "--json"]) == 1
    assert "no PolNeAR split" in capsys.readouterr().err
