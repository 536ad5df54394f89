"""Quote-check evaluation on the frozen, hand-labelled case file.

    python bench/check_eval.py [--no-write] [--show-errors]

Builds a temporary store from ``tests/data/check/articles``, runs every case of
``tests/data/check/cases.jsonl`` through ``QuoteChecker``, prints per-class accuracy, the
confusion matrix, who-said accuracy (speaker right on verbatim/paraphrase/misattributed
cases) and the time per check, and writes the section "## Quote check (hand-labelled set)"
of ``docs/benchmarks.md`` (other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.text import words  # noqa: E402

CASES = REPO / "tests" / "data" / "check" / "cases.jsonl"
ARTICLES = REPO / "tests" / "data" / "check" / "articles"
VERDICTS = ("verbatim", "paraphrase", "altered", "misattributed", "not_found")
WHO_SAID_VERDICTS = ("verbatim", "paraphrase", "misattributed")
SECTION = "## Quote check (hand-labelled set)"


@dataclass
class CaseResult:
    """One case: what was expected, what the checker said, and how long it took."""

    case: dict
    verdict: str
    speaker: str | None
    evidence: list[str]
    seconds: float

    @property
    def verdict_ok(self) -> bool:
        return self.verdict == self.case["expected_verdict"]

    @property
    def speaker_ok(self) -> bool:
        return same_speaker(self.case.get("expected_speaker"), self.speaker)

    @property
    def evidence_ok(self) -> bool:
        want = self.case.get("expected_evidence_contains")
        return not want or any(want in text for text in self.evidence)


def load_cases(path: Path = CASES) -> list[dict]:
    """The case file, one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def same_speaker(expected: str | None, got: str | None) -> bool:
    """Expected and reported speaker agree (surnames compared: "Marsh" is "Helena Marsh")."""
    if not expected or not got:
        return not expected and not got
    return words(expected)[-1] in set(words(got))


def run_cases(checker, cases: list[dict]) -> list[CaseResult]:
    """Run every case through ``checker`` (a ``QuoteChecker``)."""
    out = []
    for case in cases:
        t0 = time.perf_counter()
        v = checker.check(case["quote"], case.get("claimed_speaker"))
        out.append(CaseResult(case, v.verdict, v.speaker, [e.text for e in v.evidence],
                              time.perf_counter() - t0))
    return out


def summarise(results: list[CaseResult]) -> dict:
    """Per-class accuracy, confusion matrix, who-said accuracy, evidence accuracy, timing."""
    per_class = {}
    for verdict in VERDICTS:
        rows = [r for r in results if r.case["expected_verdict"] == verdict]
        per_class[verdict] = (sum(r.verdict_ok for r in rows), len(rows))
    confusion = {e: {g: 0 for g in VERDICTS} for e in VERDICTS}
    for r in results:
        confusion[r.case["expected_verdict"]][r.verdict] += 1
    who = [r for r in results if r.case["expected_verdict"] in WHO_SAID_VERDICTS]
    found = [r for r in results if r.case["expected_verdict"] != "not_found" and r.verdict_ok]
    times = sorted(r.seconds for r in results)
    return {
        "per_class": per_class,
        "overall": (sum(r.verdict_ok for r in results), len(results)),
        "confusion": confusion,
        "who_said": (sum(r.speaker_ok for r in who), len(who)),
        "evidence": (sum(r.evidence_ok for r in found), len(found)),
        "ms_median": 1000 * statistics.median(times),
        "ms_p95": 1000 * times[int(0.95 * (len(times) - 1))],
    }


def build_checker(store_dir: Path, embeddings=None, nlp=None):
    """A Runtime on ``store_dir`` with the case articles ingested, and its ``QuoteChecker``."""
    from bot.check import QuoteChecker
    from bot.runtime import Runtime
    from index.config import load_settings

    settings = load_settings({"store": store_dir}, environ={})
    rt = Runtime(settings)
    if embeddings is not None:
        rt.__dict__["embeddings"] = embeddings
    if nlp is not None:
        rt.__dict__["nlp"] = nlp
    results = rt.ingest_paths(sorted(ARTICLES.glob("*.md")))
    bad = [r for r in results if r.status != "indexed"]
    if bad:
        raise RuntimeError(f"case articles not indexed: {[r.to_dict() for r in bad]}")
    return rt, QuoteChecker(rt.store, rt.retriever, rt.speaker_index(), rt.embeddings)


def report(summary: dict) -> str:
    """The benchmarks.md section (Markdown)."""
    def pct(pair):
        return f"{100 * pair[0] / pair[1]:.1f}% ({pair[0]}/{pair[1]})" if pair[1] else "n/a"

    lines = [SECTION, "",
             f"Measured {date.today().isoformat()} on `{platform.machine()}`, {os.cpu_count()} cores; "
             "command: `python bench/check_eval.py`. Case file: `tests/data/check/cases.jsonl` "
             f"({summary['overall'][1]} hand-labelled checks, frozen before tuning) over the fictional "
             "articles in `tests/data/check/articles/` (8 articles, 4 outlets, several reports of the "
             "same statements, direct and indirect).", "",
             "| verdict | accuracy |", "|---|---|"]
    lines += [f"| {v} | {pct(summary['per_class'][v])} |" for v in VERDICTS]
    lines += [f"| **all** | {pct(summary['overall'])} |", "",
              f"- who-said accuracy (speaker right on verbatim/paraphrase/misattributed cases): "
              f"{pct(summary['who_said'])}",
              f"- evidence contains the expected passage (cases found with the right verdict): "
              f"{pct(summary['evidence'])}",
              f"- time per check, in process, warm: median {summary['ms_median']:.0f} ms, "
              f"p95 {summary['ms_p95']:.0f} ms", "",
              "Confusion matrix (rows: expected, columns: verdict given):", "",
              "| expected \\ given | " + " | ".join(VERDICTS) + " |",
              "|---|" + "---|" * len(VERDICTS)]
    for e in VERDICTS:
        lines.append(f"| {e} | " + " | ".join(str(summary["confusion"][e][g]) for g in VERDICTS) + " |")
    lines += ["", "Targets (issue 5): at least 95% in every verdict class, who-said at least 95%.", ""]
    return "\n".join(lines)


def write_section(section: str, path: Path) -> None:
    """Replace (or append) this benchmark's section of ``path``, keeping the others."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong case")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="whosaid-check-eval-") as tmp:
        rt, checker = build_checker(Path(tmp) / "store")
        try:
            cases = load_cases()
            checker.check("warm up")  # model sessions, caches
            results = run_cases(checker, cases)
        finally:
            rt.close()
    summary = summarise(results)
    section = report(summary)
    print(section)
    if args.show_errors:
        for r in results:
            if not (r.verdict_ok and r.speaker_ok and r.evidence_ok):
                c = r.case
                print(f"{c['id']}: expected {c['expected_verdict']}/{c.get('expected_speaker')} got "
                      f"{r.verdict}/{r.speaker} | {c['quote']!r} claimed={c.get('claimed_speaker')!r} "
                      f"| ev={[e[:70] for e in r.evidence][:1]}")
    if not args.no_write:
        write_section(section, REPO / "docs" / "benchmarks.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
