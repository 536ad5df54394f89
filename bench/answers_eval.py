"""Answer evaluation on the hand-written question set over the quote-check articles.

    python -m bench.answers_eval [--no-write] [--show-errors] [--llm MODEL]

Builds a temporary store from ``tests/data/check/articles``, asks every question of
``tests/data/check/questions.json`` (written before tuning) and reports answer accuracy,
citation precision and recall, refusals on unanswerable questions and false refusals on
answerable ones; then compares the retrieval modes (dense, lexical, hybrid, reranked) by
recall@1/3/5 on the answerable questions. Sentence ids derive from content hashes, so the
question file names expected sentences by a substring of their text.

``--llm MODEL`` evaluates the LLM backend instead (OpenAI or ``OPENAI_BASE_URL``; article
text is sent to that server). Results go to docs/benchmarks.md unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import REPO, write_section
from bot.text import words

QUESTIONS = REPO / "tests" / "data" / "check" / "questions.json"
MODES = ("dense", "lexical", "hybrid", "reranked")
KS = (1, 3, 5)
SECTION_ANSWERS = "Answers (hand-written questions on the check articles)"
SECTION_RETRIEVAL = "Retrieval modes (recall@k on the check questions)"
ANCHORS = ("Anchors: ChatGPT on ALCE (ASQA), citation recall/precision 73.6/72.5 (Gao et al., 2023); "
           "the best LLMs name the source of a news statement correctly 87–90% of the time.")


@dataclass
class Scored:
    """One answerable question's result."""

    item: dict
    answered: bool
    correct: bool
    cited: list[str]  # sentence ids, in citation order
    relevant_cited: int
    relevant_total: int
    why: str = ""
    answer: dict = field(default_factory=dict)


def load_questions(path: Path = QUESTIONS) -> dict:
    """The question file; raises ``ValueError`` if it is malformed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["answerable"]:
        if not item.get("q") or not item.get("relevant"):
            raise ValueError(f"question {item.get('id')} needs 'q' and 'relevant'")
    return data


def matches(text: str, substrings: list[str]) -> bool:
    """The sentence ``text`` contains one of ``substrings``."""
    return any(s in text for s in substrings)


def relevant_ids(sentences: dict[str, str], item: dict) -> set[str]:
    """Ids of the stored sentences (id -> text) that answer ``item``."""
    return {sid for sid, text in sentences.items() if matches(text, item["relevant"])}


def names_speaker(answer: dict, speaker: str) -> bool:
    """The answer names the expected speaker (surname) in its text or its citations' speakers."""
    surname = words(speaker)[-1]
    said = " ".join([answer.get("answer", "")] + [c.get("speaker") or "" for c in answer.get("citations", [])])
    return surname in set(words(said))


def score_answerable(item: dict, answer: dict, sentences: dict[str, str]) -> Scored:
    """Score one answer: answered, cites a required sentence, names the speaker."""
    relevant = relevant_ids(sentences, item)
    must = item.get("must_cite_any") or item["relevant"]
    cited = [c["sentence_id"] for c in answer.get("citations", [])]
    texts = {c["sentence_id"]: c["text"] for c in answer.get("citations", [])}
    why = ""
    if not answer.get("answered"):
        why = "not answered"
    elif not any(matches(texts[s], must) for s in cited):
        why = "cites no required sentence"
    elif item.get("speaker") and not names_speaker(answer, item["speaker"]):
        why = f"does not name {item['speaker']}"
    return Scored(item, bool(answer.get("answered")), not why, cited,
                  sum(s in relevant for s in cited), len(relevant), why, answer)


def summarise(scored: list[Scored], unanswerable: list[tuple[dict, dict]]) -> dict:
    """Accuracy, citation precision/recall, refusals and false refusals."""
    answered = [s for s in scored if s.answered]
    n_cited = sum(len(s.cited) for s in answered)
    precision = sum(s.relevant_cited for s in answered) / n_cited if n_cited else float("nan")
    recall = (sum(s.relevant_cited / s.relevant_total for s in scored if s.relevant_total) /
              max(1, sum(1 for s in scored if s.relevant_total)))
    refused = sum(not a.get("answered") for _, a in unanswerable)
    return {
        "accuracy": (sum(s.correct for s in scored), len(scored)),
        "citation_precision": precision, "citations": n_cited,
        "citation_recall": recall,
        "refusals": (refused, len(unanswerable)),
        "false_refusals": (sum(not s.answered for s in scored), len(scored)),
        "missing_relevant": [s.item["id"] for s in scored if not s.relevant_total],
        "wrong": [(s.item["id"], s.item["q"], s.why) for s in scored if not s.correct],
        "off_target": [(s.item["id"], s.item["q"], len(s.cited) - s.relevant_cited)
                       for s in answered if len(s.cited) > s.relevant_cited],
    }


def retrieval_recall(retriever, items: list[dict], sentences: dict[str, str]) -> dict[str, dict[int, float]]:
    """recall@k (a relevant sentence among the top k, the raw question as query) per mode."""
    out: dict[str, dict[int, float]] = {}
    before = retriever.mode
    try:
        for mode in MODES:
            retriever.mode = mode
            hits = {k: 0 for k in KS}
            for item in items:
                relevant = relevant_ids(sentences, item)
                got = [h.sentence.id for h in retriever.search(item["q"], k=max(KS))]
                for k in KS:
                    hits[k] += bool(relevant & set(got[:k]))
            out[mode] = {k: hits[k] / len(items) for k in KS}
    finally:
        retriever.mode = before
    return out


def pct(pair: tuple[int, int]) -> str:
    return f"{100 * pair[0] / pair[1]:.1f}% ({pair[0]}/{pair[1]})" if pair[1] else "n/a"


def answers_body(summary: dict, backend: str, n_questions: tuple[int, int]) -> str:
    """The answers section (Markdown)."""
    return "\n".join([
        f"Question file `tests/data/check/questions.json` (a01–a47 and u01–u20 committed before tuning; "
        f"a48–a53 and u21–u22, speakers named by role, added after the role lookup was written): {n_questions[0]} "
        f"answerable questions with expected speakers and sentences, {n_questions[1]} the articles cannot "
        f"answer, over the 8 fictional articles of `tests/data/check/articles/`. Backend: `{backend}`. "
        "Figures taken on a shared machine (2 cores shared with other jobs).", "",
        "| measure | value | target |", "|---|---|---|",
        f"| answer accuracy (answered, cites a required sentence, names the speaker) | "
        f"{pct(summary['accuracy'])} | — |",
        f"| citation precision (cited sentences that answer the question) | "
        f"{100 * summary['citation_precision']:.1f}% of {summary['citations']} | ≥ 97% |",
        f"| citation recall (answering sentences cited, mean per question) | "
        f"{100 * summary['citation_recall']:.1f}% | — |",
        f"| refusals on unanswerable questions | {pct(summary['refusals'])} | ≥ 95% |",
        f"| false refusals on answerable questions | {pct(summary['false_refusals'])} | ≤ 5% |", "",
        "Citation recall counts every stored sentence that answers a question, so it is bounded by how "
        "many statements an answer shows (the extractive answer shows at most 5; general answers 3).", "",
        "Wrong answers: " + ("; ".join(f"{i} “{q}” ({why})" for i, q, why in summary["wrong"]) or "none") + ".",
        "Citations of sentences that do not answer the question: "
        + ("; ".join(f"{i} “{q}” ({n})" for i, q, n in summary["off_target"]) or "none") + ".", "",
        ANCHORS, ""])


def retrieval_body(recall: dict[str, dict[int, float]], n: int) -> str:
    """The retrieval section (Markdown)."""
    lines = [f"{n} answerable questions of `tests/data/check/questions.json`, the raw question as the "
             "query, no filters; a hit is any sentence that answers the question. Shared machine.", "",
             "| mode | " + " | ".join(f"recall@{k}" for k in KS) + " |", "|---|" + "---|" * len(KS)]
    for mode in MODES:
        lines.append(f"| {mode} | " + " | ".join(f"{100 * recall[mode][k]:.1f}%" for k in KS) + " |")
    lines += ["", "dense: MiniLM cosine; lexical: BM25; hybrid: 0.6·cosine + 0.4·BM25; reranked: hybrid + "
              "`speaker_match` (+0.25) and `statement` (+0.05) features.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--show-errors", action="store_true", help="print every wrong answer")
    parser.add_argument("--llm", metavar="MODEL", help="evaluate the LLM backend with this model")
    args = parser.parse_args(argv)
    from bench.check_eval import build_checker

    data = load_questions()
    with tempfile.TemporaryDirectory(prefix="whosaid-answers-eval-") as tmp:
        rt, _ = build_checker(Path(tmp) / "store")
        try:
            if args.llm:
                from dataclasses import replace

                rt.settings = replace(rt.settings, llm_model=args.llm)
            sentences = {r.id: r.text for r in rt.store.iter_sentences()}
            answerer = rt.answerer()
            ask = lambda q: answerer.invoke({"question": q}).to_dict()  # noqa: E731
            scored = [score_answerable(item, ask(item["q"]), sentences) for item in data["answerable"]]
            unanswerable = [(item, ask(item["q"])) for item in data["unanswerable"]]
            backend = scored[0].answer.get("backend", "?") if scored else "?"
            recall = retrieval_recall(rt.retriever, data["answerable"], sentences)
        finally:
            rt.close()
    summary = summarise(scored, unanswerable)
    body = answers_body(summary, backend, (len(scored), len(unanswerable)))
    rbody = retrieval_body(recall, len(scored))
    print(body)
    print(rbody)
    if summary["missing_relevant"]:
        print("questions whose 'relevant' matches no stored sentence:", summary["missing_relevant"])
    if args.show_errors:
        for s in scored:
            if not s.correct or s.relevant_cited < len(s.cited):
                wrong = [c["text"][:70] for c in s.answer.get("citations", []) if not matches(c["text"], s.item["relevant"])]
                print(f"{s.item['id']} {s.item['q']!r}: {s.why or 'ok'}; answer={s.answer.get('answer', '')[:160]!r}"
                      + (f"; irrelevant citations={wrong}" if wrong else ""))
        for item, a in unanswerable:
            if a.get("answered"):
                print(f"{item['id']} {item['q']!r} answered: {a.get('answer', '')[:160]!r}")
    if not args.no_write:
        command = "python -m bench.answers_eval" + (f" --llm {args.llm}" if args.llm else "")
        title = SECTION_ANSWERS + (f" — {backend}" if args.llm else "")
        write_section(title, body, command)
        if not args.llm:
            write_section(SECTION_RETRIEVAL, rbody, command)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
