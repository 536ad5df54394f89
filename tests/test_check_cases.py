"""The frozen, hand-labelled quote-check case file as a regression test (see bench/check_eval.py)."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import check_eval  # noqa: E402

# Reached when the case file was frozen and the checker tuned (docs/benchmarks.md), minus a margin.
FLOORS = {"verbatim": 0.95, "paraphrase": 0.90, "altered": 0.95, "misattributed": 0.95, "not_found": 0.95}
WHO_SAID_FLOOR = 0.95


@pytest.fixture(scope="module")
def summary(tmp_path_factory, embeddings, nlp):
    rt, checker = check_eval.build_checker(tmp_path_factory.mktemp("check_cases"), embeddings, nlp)
    try:
        results = check_eval.run_cases(checker, check_eval.load_cases())
    finally:
        rt.close()
    return check_eval.summarise(results)


def test_case_file_is_large_enough():
    cases = check_eval.load_cases()
    assert len(cases) >= 150
    assert len({c["id"] for c in cases}) == len(cases)
    for verdict in check_eval.VERDICTS:
        assert sum(c["expected_verdict"] == verdict for c in cases) >= 25


@pytest.mark.parametrize("verdict", list(FLOORS))
def test_per_class_accuracy(summary, verdict):
    right, total = summary["per_class"][verdict]
    assert right / total >= FLOORS[verdict], (verdict, right, total, summary["confusion"][verdict])


def test_who_said_accuracy(summary):
    right, total = summary["who_said"]
    assert right / total >= WHO_SAID_FLOOR


def test_evidence_is_the_expected_passage(summary):
    right, total = summary["evidence"]
    assert right / total >= 0.95
