"""Claims benchmarks: grouping and contradiction quality, and the speed of an incremental update.

    python -m bench.claims_eval quality          # tests/data/claims/pairs.jsonl
    python -m bench.claims_eval speed [--articles 10000]

``quality``: every labelled pair (two statements by one speaker, with dates) goes through
``bot.claims.relate`` with MiniLM vectors of the two texts; predicted ``same_claim`` is
scored against the label (pairwise grouping precision/recall), predicted contradiction
(confidence > 0) against the ``contradiction`` label.

``speed``: a store of N synthetic articles written directly as ``ArticleBundle``s (texts
from ``bench.corpus``'s generator, each statement an attribution of one of ~200 speakers;
sentence vectors reused from a pool embedded once), claim links built by the same
``ClaimLinker``; then one real article is ingested through the full pipeline and the
claim-link step (``Indexer.before_commit``) and the re-read of the affected speaker's
claims are timed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import REPO, median, write_section

PAIRS = REPO / "tests" / "data" / "claims" / "pairs.jsonl"


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def quality() -> dict:
    """Grouping precision/recall and contradiction precision/recall on the labelled pairs."""
    from bot.claims import Statement, bare_text, relate
    from index.embeddings import MiniLMOnnxEmbeddings

    rows = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    emb = MiniLMOnnxEmbeddings(threads=2)
    texts = sorted({bare_text(r[k]) for r in rows for k in ("a", "b")})
    vectors = dict(zip(texts, emb.embed_array(texts)))
    counts = {k: 0 for k in ("tp", "fp", "fn", "tn", "ctp", "cfp", "cfn", "ctn")}
    errors = []
    for r in rows:
        a = Statement("a", r["speaker"], r["a"], vectors[bare_text(r["a"])], r["a_date"])
        b = Statement("b", r["speaker"], r["b"], vectors[bare_text(r["b"])], r["b_date"])
        rel = relate(a, b)
        same, contra = rel.same_claim, rel.contradiction > 0
        counts[{(True, True): "tp", (True, False): "fp", (False, True): "fn", (False, False): "tn"}[
            (same, r["same_claim"])]] += 1
        counts[{(True, True): "ctp", (True, False): "cfp", (False, True): "cfn", (False, False): "ctn"}[
            (contra, r["contradiction"])]] += 1
        if same != r["same_claim"] or contra != r["contradiction"]:
            errors.append({"relation": r["relation"], "a": r["a"], "b": r["b"], "predicted_same": same,
                           "predicted_contradiction": contra, "similarity": round(rel.similarity, 3),
                           "overlap": round(rel.overlap, 3), "changes": rel.changes})
    c = counts
    return {
        "pairs": len(rows), "same_pairs": sum(r["same_claim"] for r in rows),
        "contradicting_pairs": sum(r["contradiction"] for r in rows),
        "non_contradicting_pairs": sum(not r["contradiction"] for r in rows),
        "grouping_precision": _ratio(c["tp"], c["tp"] + c["fp"]), "grouping_recall": _ratio(c["tp"], c["tp"] + c["fn"]),
        "contradiction_precision": _ratio(c["ctp"], c["ctp"] + c["cfp"]),
        "contradiction_recall": _ratio(c["ctp"], c["ctp"] + c["cfn"]),
        "counts": counts, "errors": errors,
    }


def _synthetic_store(directory: Path, n_articles: int, seed: int = 5):
    """A store of ``n_articles`` bundles written directly (see the module doc)."""
    from bench.corpus import ArticleWriter, Person, FIRST, LAST
    from bot.claims import ClaimLinker
    from index.embeddings import MiniLMOnnxEmbeddings
    from index.models import Appearance, Attribution, Sentence, Span, Speaker
    from index.store import ArticleBundle, Store

    rng = random.Random(seed)
    emb = MiniLMOnnxEmbeddings(threads=2)
    store = Store.open(directory, None, emb.model_id, emb.dimension)
    writer = ArticleWriter(random.Random(seed))
    pool_texts = list(dict.fromkeys(writer.clause() for _ in range(3000)))[:2000]
    pool_vectors = emb.embed_array(pool_texts)
    people = [Person(rng.choice(FIRST), rng.choice(LAST), None, None) for _ in range(200)]
    speakers = [Speaker(id=f"sp{i:04d}", name=p.full(), kind="person") for i, p in enumerate(people)]
    linker = ClaimLinker(store)
    bundles = []
    started = time.perf_counter()
    for n in range(n_articles):
        aid = f"synthetic{n:07d}"
        date = f"20{rng.randint(20, 30)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        text_parts, sentences, attributions, vecs = [], [], [], []
        pos = 0
        for k in range(3):
            i = rng.randrange(len(pool_texts))
            sp = rng.choice(speakers)
            sentence = f"{sp.name} said that {pool_texts[i]}."
            start = pos
            text_parts.append(sentence)
            pos += len(sentence) + 1
            sid = f"{aid}:{k}"
            sentences.append(Sentence(sid, aid, k, start, start + len(sentence), sentence, k))
            vecs.append(pool_vectors[i])
            c0 = start + len(sp.name) + len(" said that ")
            text = " ".join(text_parts)
            attributions.append(Attribution(f"{aid}:a{k}", aid, sp.name, sp.id, None, None,
                                            [Span(c0, c0 + len(pool_texts[i]), pool_texts[i])], "indirect", [sid]))
        text = " ".join(text_parts)
        bundles.append(ArticleBundle(aid, text, aid, Appearance(f"Synthetic {n}", "Synthetic Wire", date), [],
                                     sentences, np.asarray(vecs, dtype=np.float32), [], attributions,
                                     [s for s in speakers if any(a.speaker_id == s.id for a in attributions)]))
        if len(bundles) == 500:
            linker.link_bundles(bundles)
            store.write_articles(bundles)
            bundles = []
    if bundles:
        linker.link_bundles(bundles)
        store.write_articles(bundles)
    return store, emb, people, time.perf_counter() - started


def speed(n_articles: int, repeats: int = 5) -> dict:
    """Time the claim update for one new article on an ``n_articles`` store."""
    from bot.claims import build_claims
    from index.ingest import Indexer
    from index.load import load_text
    from index.nlp import load_nlp

    directory = Path(tempfile.mkdtemp(prefix="whosaid-claims-bench-"))
    try:
        store, emb, people, build_seconds = _synthetic_store(directory, n_articles)
        nlp = load_nlp()
        link_times, read_times, ingest_times = [], [], []
        timer: dict[str, float] = {}
        from bot.claims import ClaimLinker

        linker = ClaimLinker(store)

        def timed_link(bundles):
            t = time.perf_counter()
            linker.link_bundles(bundles)
            timer["link"] = time.perf_counter() - t

        indexer = Indexer(store, emb, nlp, before_commit=timed_link)
        for r in range(repeats):
            who = people[r]
            body = (f"---\ntitle: Bench {r}\noutlet: Bench Post\ndate: 2031-0{r + 1}-10\n---\n"
                    f"{who.full()} said on Monday that the harbour dredging plan would cost {100 + r} "
                    f"million crowns more than the council had planned.\n\n“Nobody in Velmar had been asked "
                    f"about the levy before it was signed,” {who.last} said.\n")
            article = load_text(body, None, path=f"bench-{r}.md")
            t = time.perf_counter()
            results = indexer.ingest([article])
            ingest_times.append(time.perf_counter() - t)
            link_times.append(timer["link"])
            speaker_ids = {a["speaker_id"] for a in store.attributions(article_id=results[0].article_id)
                           if a.get("speaker_id")}
            t = time.perf_counter()
            for sid in speaker_ids:
                build_claims(store, sid)
            read_times.append(time.perf_counter() - t)
        return {"articles": store.count("articles"), "claim_links": store.count("claims"),
                "build_seconds": round(build_seconds, 1), "repeats": repeats,
                "link_median_s": round(median(link_times), 3), "link_max_s": round(max(link_times), 3),
                "speaker_claims_read_median_s": round(median(read_times), 3),
                "speaker_claims_read_max_s": round(max(read_times), 3),
                "ingest_one_article_median_s": round(median(ingest_times), 3)}
    finally:
        try:
            store.close()  # type: ignore[possibly-undefined]
        except Exception:
            pass
        shutil.rmtree(directory, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["quality", "speed"])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    if args.what == "quality":
        report = quality()
        print(json.dumps(report, indent=2, ensure_ascii=False))
        body = (f"Labelled pairs: `tests/data/claims/pairs.jsonl` — {report['pairs']} pairs of statements by one "
                f"(fictional) speaker with dates, {report['same_pairs']} labelled same claim, "
                f"{report['contradicting_pairs']} contradicting, {report['non_contradicting_pairs']} not.\n\n"
                "| measure | value |\n|---|---|\n"
                f"| grouping precision (pairwise same claim) | {report['grouping_precision']:.3f} |\n"
                f"| grouping recall | {report['grouping_recall']:.3f} |\n"
                f"| contradiction precision | {report['contradiction_precision']:.3f} |\n"
                f"| contradiction recall | {report['contradiction_recall']:.3f} |\n\n"
                "Vectors: MiniLM int8 of each text (the store uses the mean of the attribution's whole "
                "sentences). The thresholds in `bot/claims.py` were fixed before the first run on this set "
                "and not tuned on it, but the set and the rules have the same author: read the figures as "
                "optimistic. Misses: opposites outside `bot.meaning`'s antonym list (\"insult\"/\"fair\", "
                "\"on\"/\"over budget\"). A changed meaning counts as a contradiction "
                "only between statements more than 3 days apart; within that window it is drift of one claim.")
        if not args.no_write:
            write_section("Claims: grouping and contradictions", body, "python -m bench.claims_eval quality")
    else:
        report = speed(args.articles)
        print(json.dumps(report, indent=2))
        body = ("| measure | value |\n|---|---|\n"
                f"| articles in store | {report['articles']} |\n| claim links | {report['claim_links']} |\n"
                f"| claim-link step for one new article (median / max of {report['repeats']}) | "
                f"{report['link_median_s']} s / {report['link_max_s']} s |\n"
                f"| re-reading the affected speakers' claims (median / max) | "
                f"{report['speaker_claims_read_median_s']} s / {report['speaker_claims_read_max_s']} s |\n"
                f"| whole ingest of that article (parse, embed, link, write; median) | "
                f"{report['ingest_one_article_median_s']} s |\n\n"
                f"The store was written directly as ArticleBundles (3 statements each by ~200 speakers, sentence "
                f"vectors reused from 2,000 texts of `bench.corpus`'s generator, claim links by the same "
                f"`ClaimLinker`; {report['build_seconds']} s to build); the new article goes through the full "
                "pipeline. Shared machine (other engineers' jobs running): treat times as upper bounds.")
        if not args.no_write:
            write_section("Claims: incremental update", body,
                          f"python -m bench.claims_eval speed --articles {args.articles}")


if __name__ == "__main__":
    main()
