"""Query latency of ``ask`` and ``check`` (extractive backend) and the memory behind them.

    python -m bench.query_bench --articles 10000 [--write] [--server] [--profile]

Sizes up to the template count come from the real pipeline (``--store DIR``: e.g. the
store kept by ``bench.ingest_bench --keep``); larger ones are built by
``bench.scale_store`` (template copies with precomputed vectors, said in the output).
Each size runs in a child process: 200 varied questions through
``Runtime.answerer().invoke`` and 200 quote checks through ``QuoteChecker.check``;
p50/p95 exclude the first call of each kind, which is reported on its own (it builds
the in-memory BM25 index and warms Chroma). Peak RSS is that process's (embedded
store) or, with ``--server``, the app process and the ``chroma run`` process.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from pathlib import Path

from bench.common import percentile, write_section
from bench.corpus import TOPICS
from bench.harness import chroma_server, emit, peak_rss_mb, run_child, runtime_for

TEMPLATES = 1000
CACHE = Path("/tmp/whosaid-bench-cache")


def make_questions(store, rng: random.Random, n: int = 200) -> list[str]:
    """``n`` varied questions about what the store holds (speakers, topics, quotes)."""
    speakers = [s for s in store.speakers() if s.kind == "person"] or store.speakers()
    got = store.collection("attributions").get(limit=3000, include=["metadatas"])
    quotes = []
    for meta in got["metadatas"]:
        spans = json.loads(meta["spans"])
        text = " ".join(c["text"] for c in spans["content"]).strip("“”\" ")
        if meta.get("kind") == "direct" and len(text.split()) >= 6:
            quotes.append(text)
    forms = (
        lambda: f"What did {rng.choice(speakers).name} say about {rng.choice(TOPICS)}?",
        lambda: f"What did {rng.choice(speakers).name.split()[-1]} say?",
        lambda: f"Who said “{' '.join(rng.choice(quotes).split()[:8])}”?",
        lambda: f"Did {rng.choice(speakers).name} say that {rng.choice(quotes).split(',')[0].lower()}?",
        lambda: f"When did {rng.choice(speakers).name} talk about {rng.choice(TOPICS)}?",
        lambda: f"How much will {rng.choice(TOPICS)} cost?",
        lambda: f"What was said about {rng.choice(TOPICS)} in {rng.choice(('Velmar', 'Brennick', 'Quillon'))}?",
    )
    weights = (6, 2, 4, 3, 2, 2, 1)
    return [rng.choices(forms, weights)[0]() for _ in range(n)]


def make_checks(store, rng: random.Random, n: int = 200) -> list[tuple[str, str | None]]:
    """``n`` quote checks: verbatim, misattributed, altered numbers, made-up words."""
    got = store.collection("attributions").get(limit=3000, include=["metadatas"])
    items = [(json.loads(m["spans"]), m.get("speaker")) for m in got["metadatas"]]
    items = [(" ".join(c["text"] for c in sp["content"]).strip("“”\" ,."), who) for sp, who in items]
    items = [(q, who) for q, who in items if len(q.split()) >= 5 and who]
    names = sorted({who for _, who in items})
    out: list[tuple[str, str | None]] = []
    for i in range(n):
        quote, who = rng.choice(items)
        kind = i % 4
        if kind == 1:
            who = rng.choice([x for x in names if x != who] or names)
        elif kind == 2:
            quote = re.sub(r"\d+", lambda m: str(int(m.group()) * 3 + 1), quote) if re.search(r"\d", quote) \
                else quote.replace(" would ", " would not ", 1)
        elif kind == 3:
            quote = f"The {rng.choice(('moon', 'orchestra', 'glacier'))} budget will {rng.choice(('triple', 'vanish'))} by {rng.randint(2030, 2090)}"
        out.append((quote, who))
    return out


def child(args) -> None:
    import cProfile
    import pstats

    from bot.retrieve import Filters

    rt = runtime_for(Path(args.store) if args.store else None, args.chroma_url)
    t0 = time.perf_counter()
    rt.embeddings, rt.nlp, rt.store  # noqa: B018
    load_s = time.perf_counter() - t0
    rng = random.Random(5)
    questions = make_questions(rt.store, rng)
    checks = make_checks(rt.store, rng)
    out = {"load_s": load_s, "articles": rt.store.count("articles"), "sentences": rt.store.count("sentences")}
    profiler = cProfile.Profile() if args.profile else None
    for kind, calls in (("ask", [lambda q=q: rt.answerer().invoke({"question": q}) for q in questions]),
                        ("check", [lambda c=c: rt.quote_checker().check(c[0], c[1], Filters()) for c in checks])):
        times, answered = [], 0
        for i, call in enumerate(calls):
            if profiler and i > 0:
                profiler.enable()
            t = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - t)
            if profiler:
                profiler.disable()
            answered += bool(getattr(result, "answered", getattr(result, "verdict", "") != "not_found"))
        warm = times[1:]
        out[kind] = {"first_s": times[0], "p50_ms": 1000 * percentile(warm, 50),
                     "p95_ms": 1000 * percentile(warm, 95), "max_ms": 1000 * max(warm),
                     "n": len(times), "answered": answered}
    if profiler:
        CACHE.mkdir(parents=True, exist_ok=True)
        with (CACHE / f"profile-{out['articles']}.txt").open("w") as fh:
            pstats.Stats(profiler, stream=fh).sort_stats("cumulative").print_stats(60)
    rt.close()
    emit(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--store", help="an existing store for the smallest size (e.g. the ingest bench's)")
    parser.add_argument("--vectors-from", help="a store whose vectors the templates reuse")
    parser.add_argument("--server", action="store_true", help="also query through a chroma run server")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--chroma-url")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    rows = []
    for n in args.articles:
        info: dict = {"size": n}
        if args.store and n <= 1000:
            store = Path(args.store)
            info["built"] = "real pipeline (bench.ingest_bench store)"
        else:
            from bench.scale_store import build_store, templates

            store = CACHE / f"store-{n}"
            if not (store / "built.json").exists():
                analyses, vectors = templates(CACHE, TEMPLATES, vectors_from=Path(args.vectors_from)
                                              if args.vectors_from else None)
                t = time.perf_counter()
                counts = build_store(store, n, analyses, vectors)
                counts["build_s"] = time.perf_counter() - t
                (store / "built.json").write_text(json.dumps(counts))
            info["built"] = "template copies, precomputed vectors"
            info["counts"] = json.loads((store / "built.json").read_text())
        info["embedded"] = run_child("bench.query_bench", ["--child", "--store", str(store)]
                                     + (["--profile"] if args.profile else []), timeout=14400)
        print(json.dumps(info), flush=True)
        if args.server:
            with chroma_server(store) as (url, pid):
                info["server"] = run_child("bench.query_bench", ["--child", "--chroma-url", url], timeout=14400)
                info["server"]["server_peak_rss_mb"] = peak_rss_mb(pid)
            print(json.dumps(info), flush=True)
        rows.append(info)
    if args.write:
        write_section("Query latency and memory at scale", render(rows),
                      "python -m bench.query_bench --articles " + " ".join(map(str, args.articles))
                      + (f" --store {args.store}" if args.store else "") + (" --server" if args.server else ""))


def render(rows: list[dict]) -> str:
    lines = ["Extractive backend, in process; 200 questions (what/who/did/when said, topics) and 200 quote "
             "checks (verbatim, misattributed, altered, made up) generated from each store with a fixed seed. "
             "p50/p95 exclude the first call, listed as *first* (it builds the BM25 index). Shared 2-core "
             "machine (other engineers running tests): tails are inflated by CPU contention.", "",
             "| articles | sentences | how built | ask p50 / p95 ms | check p50 / p95 ms | first ask s | "
             "peak RSS MiB (app + embedded store) |", "|---:|---:|---|---:|---:|---:|---:|"]
    for r in rows:
        e = r["embedded"]
        lines.append(f"| {e['articles']} | {e['sentences']} | {r['built']} | {e['ask']['p50_ms']:.0f} / "
                     f"{e['ask']['p95_ms']:.0f} | {e['check']['p50_ms']:.0f} / {e['check']['p95_ms']:.0f} | "
                     f"{e['ask']['first_s']:.1f} | {e['peak_rss_mb']:.0f} |")
    for r in rows:
        if "counts" in r:
            c = r["counts"]
            lines.append(f"\n{r['size']} articles: {c['distinct_sentence_texts']} distinct sentence texts, "
                         f"{c['embedded_distinct_sentences']} distinct embedded sentences (vectors reused "
                         f"across copies), {c['attributions']} attributions, {c['speakers']} speakers; "
                         + (f"the build was stopped for time at {c['articles']} articles."
                            if c.get("note") else f"built in {c['build_s']:.0f} s."))
        if "server" in r:
            s = r["server"]
            lines.append(f"\nThrough `chroma run` on loopback ({r['size']} articles): ask p50/p95 "
                         f"{s['ask']['p50_ms']:.0f}/{s['ask']['p95_ms']:.0f} ms, check "
                         f"{s['check']['p50_ms']:.0f}/{s['check']['p95_ms']:.0f} ms; app peak RSS "
                         f"{s['peak_rss_mb']:.0f} MiB, server peak RSS {s['server_peak_rss_mb']:.0f} MiB.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
