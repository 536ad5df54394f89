"""Scoring on a few PolNeAR dev articles (read from the shared corpus, never copied).

The corpus is the repository's sibling ``shared/corpora/polnear`` or ``$WHOSAID_POLNEAR_DIR``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from index.evaluate import evaluate_attribution, format_report

CORPUS = Path(
    os.environ.get("WHOSAID_POLNEAR_DIR")
    or Path(__file__).resolve().parents[2] / "shared/corpora/polnear"
)
pytestmark = pytest.mark.skipif(
    not (CORPUS / "data" / "dev" / "attributions").is_dir() and not (CORPUS / "dev").is_dir(),
    reason=f"PolNeAR corpus not found at {CORPUS} (set WHOSAID_POLNEAR_DIR)",
)


@pytest.fixture(scope="module")
def report():
    return evaluate_attribution(CORPUS, limit=8, split="dev")


def test_report_has_all_systems_and_figures(report):
    assert report["articles"] == 8
    assert {"whosaid", "regex"} <= set(report["systems"])
    figures = report["systems"]["whosaid"]
    for key in ("content_overlap", "content_exact", "cue_exact", "source_exact", "quote@30", "quote@80"):
        assert 0.0 <= figures[key]["f1"] <= 1.0
    assert "| figure |" in format_report(report)


def test_whosaid_ahead_of_baselines_on_a_few_articles(report):
    ours = report["systems"]["whosaid"]
    for name, theirs in report["systems"].items():
        if name == "whosaid":
            continue
        assert ours["content_overlap"]["f1"] > theirs["content_overlap"]["f1"]
        assert ours["quote@30"]["f1"] > theirs["quote@30"]["f1"]
    assert ours["content_overlap"]["f1"] >= 0.6


def test_cli_eval_attribution_end_to_end(capsys):
    from ui import cli

    assert cli.main(["eval", "attribution", str(CORPUS), "--split", "dev", "--limit", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["split"] == "dev" and out["articles"] == 2
    assert "whosaid" in out["systems"] and "regex" in out["systems"]
    assert set(out["systems"]) | set(out["skipped"]) == {"whosaid", "textacy", "regex"}
    assert cli.main(["eval", "attribution", str(CORPUS), "--limit", "1"]) == 0
    assert "| figure |" in capsys.readouterr().out


def test_textacy_missing_is_reported_as_not_installed(monkeypatch):
    import index.baselines

    monkeypatch.setattr(index.baselines, "textacy_available", lambda: False)
    report = evaluate_attribution(CORPUS, limit=1, split="dev")
    assert "textacy" not in report["systems"]
    assert report["skipped"] == {"textacy": "not installed"}
    assert "textacy: skipped (not installed" in format_report(report)
