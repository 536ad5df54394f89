"""Seed-corpus benchmark: retrieval recall@3 by mode, answer accuracy, refusals, latency.

    python -m bench.seed_bench [--write]

Builds a temporary store from seeds/, runs the committed question set
(tests/data/seed_questions.json) and, with --write, updates docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import REPO, median, percentile, write_section
from bot.evaluate_questions import load_question_set, score_answer

QUESTIONS = REPO / "tests" / "data" / "seed_questions.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    from bot.runtime import Runtime
    from index.config import load_settings

    qs = load_question_set(QUESTIONS)
    aid = qs["article_id"]
    tmp = Path(tempfile.mkdtemp(prefix="whosaid-bench-"))
    settings = load_settings({"store": tmp / "store", "index_seeds_on_first_run": False}, environ={})
    rt = Runtime(settings)
    t0 = time.perf_counter()
    rt.embeddings, rt.nlp  # noqa: B018 - load the models
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = rt.ingest_paths([REPO / "seeds"])
    ingest_s = time.perf_counter() - t0
    n_sent = sum(r.sentences for r in results)

    # Retrieval recall@3 by mode (the raw question text, no speaker filter).
    recall = {}
    for mode in ("dense", "lexical", "hybrid", "reranked"):
        rt.retriever.mode = mode
        hits = 0
        for item in qs["answerable"]:
            got = [int(h.sentence.id.split(":")[1]) for h in rt.retriever.search(item["q"], k=3)]
            hits += bool(set(got) & set(item["relevant"]))
        recall[mode] = hits / len(qs["answerable"])
    rt.retriever.mode = "reranked"

    # Chunk vectors: derived (mean of sentence vectors, free) vs their own embedding.
    chunks = rt.store.collection("chunks").get(include=["documents", "metadatas", "embeddings"])
    derived = np.asarray(chunks["embeddings"], dtype=np.float32)
    t0 = time.perf_counter()
    own = rt.embeddings.embed_array(chunks["documents"])
    chunk_embed_s = time.perf_counter() - t0
    chunk_recall = {}
    for name, matrix in (("derived (mean of sentences)", derived), ("own embedding", own)):
        hits = 0
        for item in qs["answerable"]:
            q = rt.embeddings.embed_array([item["q"]])[0]
            top = np.argsort(-(matrix @ q))[:3]
            covered = {int(s.split(":")[1]) for i in top for s in chunks["metadatas"][i]["sentence_ids"]}
            hits += bool(covered & set(item["relevant"]))
        chunk_recall[name] = hits / len(qs["answerable"])

    # Answers.
    answerer = rt.answerer()
    scores, latencies = [], []
    all_q = [i["q"] for i in qs["answerable"]] + qs["unanswerable"]
    for item in qs["answerable"] + qs["unanswerable"]:
        q = item if isinstance(item, str) else item["q"]
        scores.append(score_answer(item, answerer.invoke({"question": q}).to_dict(), aid))
    for _ in range(5):
        for q in all_q:
            t0 = time.perf_counter()
            answerer.invoke({"question": q})
            latencies.append((time.perf_counter() - t0) * 1000)
    answerable = [s for s in scores if s.answerable]
    unanswerable = [s for s in scores if not s.answerable]
    citations = sum(len(s.cited) for s in answerable)
    rt.close()

    # One-shot CLI ask (a new process each time: imports + model load + query).
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("WHOSAID_", "OPENAI_"))},
           "WHOSAID_STORE": str(tmp / "store"), "WHOSAID_INDEX_SEEDS": "0"}
    cli = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "ui.cli", "ask", "What did Lavrov say?", "--json"], env=env,
                       cwd=REPO, check=True, capture_output=True)
        cli.append(time.perf_counter() - t0)

    failures = [f"- {s.question}: {s.why}" for s in scores if not s.correct]
    body = f"""
Seed corpus: 1 article, {n_sent} sentences. Question set: `tests/data/seed_questions.json`
({len(qs['answerable'])} answerable with expected sentence ids, {len(qs['unanswerable'])} unanswerable).

| figure | value | target |
|---|---|---|
| retrieval recall@3, dense | {recall['dense']:.2f} | |
| retrieval recall@3, lexical (BM25) | {recall['lexical']:.2f} | |
| retrieval recall@3, hybrid | {recall['hybrid']:.2f} | |
| retrieval recall@3, hybrid + reranking (default) | {recall['reranked']:.2f} | |
| answer accuracy, answerable | {sum(s.correct for s in answerable)}/{len(answerable)} | |
| refusals on unanswerable | {sum(s.correct for s in unanswerable)}/{len(unanswerable)} | |
| false refusals on answerable | {sum(not s.answered for s in answerable)}/{len(answerable)} | |
| citations per answer (answerable) | {citations / max(len(answerable), 1):.1f} | |
| ingest of the seed (models loaded) | {ingest_s * 1000:.0f} ms ({n_sent / ingest_s:.0f} sentences/s) | |
| model load (embeddings + spaCy) | {load_s * 1000:.0f} ms | |
| in-process `ask` p50 / p95 ({len(latencies)} runs) | {median(latencies):.0f} / {percentile(latencies, 95):.0f} ms | p50 < 300 ms |
| one-shot CLI `ask` (new process, median of 5) | {median(cli):.2f} s | < 3 s |

Chunk vectors (recall@3 of chunk retrieval on the same questions):

| chunk vector | recall@3 | extra embedding cost on the seed |
|---|---|---|
| derived: normalised mean of its sentences' vectors (default) | {chunk_recall['derived (mean of sentences)']:.2f} | 0 ms |
| own embedding of the chunk text | {chunk_recall['own embedding']:.2f} | {chunk_embed_s * 1000:.0f} ms for {len(chunks['ids'])} chunks |

Wrong answers: {len(failures)}
{chr(10).join(failures)}
"""
    print(body)
    if args.write:
        write_section("Seed corpus: retrieval, answers, latency", body, "python -m bench.seed_bench --write")


if __name__ == "__main__":
    main()
