"""Query latency of ``ask`` and ``check`` (extractive backend) and the memory behind them.

    python -m bench.query_bench --articles 10000 [--write] [--server] [--profile]
    python -m bench.query_bench --articles 100000 --build-only --prefix-from 10000 --build-minutes 50

Sizes up to 1000 come from the real pipeline (``--store DIR``: e.g. the store kept by
``bench.ingest_bench --keep``); larger ones are built by ``bench.scale_store``
(template copies with precomputed vectors, said in the output) from the template sets
``--templates`` (``COUNT:SEED,…``), cached under ``--cache``. A larger store may start
as a copy of a smaller one built from the same templates (``--prefix-from``: the first
N articles are the same); ``--build-minutes`` stops a build after the chunk that passes
the limit, and that store is measured (or resumed later) at the size it reached.
Each size runs in a child process: 200 varied questions through
``Runtime.answerer().invoke``, 200 quote checks through ``QuoteChecker.check`` and the
first 50 questions again with a date range (``ask_dated``: a month, a year, "since");
p50/p95 exclude the first call of each kind, which is reported on its own (it builds
the in-memory BM25 index and warms Chroma). Peak RSS is that process's (embedded
store) or, with ``--server``, the app process and the ``chroma run`` process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import re
import time
from pathlib import Path

from bench.common import percentile, write_section
from bench.corpus import TOPICS
from bench.harness import chroma_server, emit, peak_rss_mb, rss_mb, run_child, runtime_for

TEMPLATES = "1000:7,2000:8"
CACHE = Path("/tmp/whosaid-bench-cache")


def template_specs(text: str) -> list[tuple[int, int]]:
    """``"1000:7,2000:8"`` -> ``[(1000, 7), (2000, 8)]``."""
    return [(int(c), int(s)) for c, s in (part.split(":") for part in text.split(","))]


def store_dir(cache: Path, n: int, spec: str) -> Path:
    return cache / f"store-{n}-t{spec.replace(':', 's').replace(',', '+')}"


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


def make_date_ranges(rng: random.Random, n: int) -> list[tuple[str, str | None]]:
    """``n`` date ranges for the sidebar's date filter: a month, a year, or "since" a year
    (``bench.corpus`` dates articles 2018-2025)."""
    out: list[tuple[str, str | None]] = []
    for i in range(n):
        year = rng.randint(2018, 2025)
        if i % 3 == 0:
            month = rng.randint(1, 12)
            out.append((f"{year}-{month:02d}-01", f"{year}-{month:02d}-28"))
        elif i % 3 == 1:
            out.append((f"{year}-01-01", f"{year}-12-31"))
        else:
            out.append((f"{year}-01-01", None))
    return out


def ask_after_write(rt, questions: list[str]) -> dict:
    """Add one new generated article, time the next questions, delete it, time again:
    what a reader waits for after someone adds (or removes) an article."""
    import tempfile

    from bench.corpus import write_corpus

    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), 1, seed=424242)
        t = time.perf_counter()
        (result,) = [r for r in rt.ingest_paths(sorted(Path(tmp).glob("*.md"))) if r.status == "indexed"]
        out["ingest_one_s"] = time.perf_counter() - t
    for phase in ("added", "deleted"):
        if phase == "deleted":
            rt.store.delete_article(result.article_id)
        times = []
        for q in questions:
            t = time.perf_counter()
            rt.answerer().invoke({"question": q})
            times.append(time.perf_counter() - t)
        out[phase] = {"first_ask_s": times[0], "next_asks_max_s": max(times[1:]),
                      "lexical": dict(rt.lexical_cache.last_refresh)}
    return out


def child(args) -> None:
    import cProfile
    import pstats

    from bot.retrieve import Filters

    rt = runtime_for(Path(args.store) if args.store else None, args.chroma_url)
    if args.fresh_lexical:  # measure a start without a saved BM25 index
        shutil.rmtree(rt.settings.lexical_index_dir, ignore_errors=True)
    first_refresh: dict = {}
    t0 = time.perf_counter()
    rt.embeddings, rt.nlp, rt.store  # noqa: B018
    load_s = time.perf_counter() - t0
    rng = random.Random(5)
    questions = make_questions(rt.store, rng, args.questions)
    checks = make_checks(rt.store, rng, args.questions)
    dated = list(zip(questions, make_date_ranges(rng, args.questions)))[: max(args.questions // 4, 2)]
    # the same checks with the speaker claimed by surname only: "did Okafor say …" covers every Okafor
    by_surname = [(q, who.split()[-1] if who else who) for q, who in checks[: max(args.questions // 4, 2)]]
    out = {"load_s": load_s, "articles": rt.store.count("articles"), "sentences": rt.store.count("sentences"),
           "loadavg_start": os.getloadavg()[0]}
    profiler = cProfile.Profile() if args.profile else None
    for kind, calls in (("ask", [lambda q=q: rt.answerer().invoke({"question": q}) for q in questions]),
                        ("check", [lambda c=c: rt.quote_checker().check(c[0], c[1], Filters()) for c in checks]),
                        ("ask_dated", [lambda q=q, d=d: rt.answerer().invoke(
                            {"question": q, "filters": Filters(since=d[0], until=d[1])}) for q, d in dated]),
                        ("check_surname", [lambda c=c: rt.quote_checker().check(c[0], c[1], Filters())
                                           for c in by_surname])):
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
            if kind == "ask" and i == 0:
                first_refresh = dict(rt.lexical_cache.last_refresh)
        warm = times[1:]
        out[kind] = {"first_s": times[0], "p50_ms": 1000 * percentile(warm, 50),
                     "p95_ms": 1000 * percentile(warm, 95), "max_ms": 1000 * max(warm),
                     "n": len(times), "answered": answered}
    out["first_ask_lexical"] = first_refresh
    out["peak_rss_before_write_mb"] = peak_rss_mb()
    if args.after_write:
        out["after_write"] = ask_after_write(rt, questions[:5])
    out["loadavg_end"] = os.getloadavg()[0]
    out["rss_end_mb"] = rss_mb(os.getpid())
    if profiler:
        cache = Path(args.cache)
        cache.mkdir(parents=True, exist_ok=True)
        with (cache / f"profile-{out['articles']}.txt").open("w") as fh:
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
    parser.add_argument("--cache", default=str(CACHE), help="template and store cache directory")
    parser.add_argument("--templates", default=TEMPLATES, help="template sets COUNT:SEED,…")
    parser.add_argument("--prefix-from", type=int, help="start a new large store as a copy of this size's")
    parser.add_argument("--build-minutes", type=float, help="stop a build after this long")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--fresh-lexical", action="store_true", help="delete the saved BM25 index first")
    parser.add_argument("--after-write", action="store_true",
                        help="also time asks after adding and deleting one article")
    parser.add_argument("--chroma-url")
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    cache = Path(args.cache)
    rows = []
    for n in args.articles:
        info: dict = {"size": n}
        if args.store and n <= 1000:
            store = Path(args.store)
            info["built"] = "real pipeline (bench.ingest_bench store)"
        else:
            from bench.scale_store import build_store, template_set

            store = store_dir(cache, n, args.templates)
            if not (store / "built.json").exists():
                if args.prefix_from and not store.exists():
                    shutil.copytree(store_dir(cache, args.prefix_from, args.templates), store)
                    (store / "built.json").unlink(missing_ok=True)
                    (store / "whosaid.lock").unlink(missing_ok=True)
                analyses, vectors = template_set(cache, template_specs(args.templates),
                                                 Path(args.vectors_from) if args.vectors_from else None)
                deadline = time.time() + 60 * args.build_minutes if args.build_minutes else None
                counts = build_store(store, n, analyses, vectors, progress=store.parent / f"{store.name}.progress",
                                     deadline=deadline)
                counts["templates"] = args.templates
                log = store.parent / f"{store.name}.builds.jsonl"
                with log.open("a") as fh:
                    fh.write(json.dumps(counts) + "\n")
                print(json.dumps(counts), flush=True)
                if not counts["stopped"]:
                    (store / "built.json").write_text(json.dumps(counts))
            info["built"] = "template copies, precomputed vectors"
            info["counts"] = json.loads((store / "built.json").read_text()) if (store / "built.json").exists() \
                else {"partial": True}
        if args.build_only:
            continue
        info["embedded"] = run_child("bench.query_bench", ["--child", "--store", str(store), "--cache", str(cache),
                                                           "--questions", str(args.questions), "--after-write"]
                                     + (["--profile"] if args.profile else []), timeout=14400)
        print(json.dumps(info), flush=True)
        if args.server:
            with chroma_server(store) as (url, pid):
                info["server"] = run_child("bench.query_bench", ["--child", "--chroma-url", url,
                                                                 "--cache", str(cache)], timeout=14400)
                info["server"]["server_peak_rss_mb"] = peak_rss_mb(pid)
            print(json.dumps(info), flush=True)
        rows.append(info)
        with (cache / "query_results.jsonl").open("a") as fh:
            fh.write(json.dumps(info) + "\n")
    if args.write and rows:
        write_section("Query latency and memory at scale", render(rows),
                      "python -m bench.query_bench --articles " + " ".join(map(str, args.articles))
                      + (f" --store {args.store}" if args.store else "") + (" --server" if args.server else ""))


def render(rows: list[dict]) -> str:
    lines = ["Extractive backend, in process; 200 questions (what/who/did/when said, topics) and 200 quote "
             "checks (verbatim, misattributed, altered, made up) generated from each store with a fixed seed, "
             "the first 50 questions again with a date range (*dated*), and the first 50 checks again with the "
             "speaker claimed by surname only (*by surname*: every namesake is searched). p50/p95 exclude the first call, "
             "listed as *first* (it loads or builds the BM25 index).", "",
             "| articles | sentences | distinct embedded | how built | ask p50 / p95 ms | check p50 / p95 ms | "
             "dated ask p50 / p95 ms | check by surname p50 / p95 ms | first ask s | peak RSS MiB (app + embedded store) | load avg |",
             "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in rows:
        e = r["embedded"]
        embedded = r.get("counts", {}).get("embedded_distinct_sentences", "all")
        lines.append(f"| {e['articles']} | {e['sentences']} | {embedded} | {r['built']} | {e['ask']['p50_ms']:.0f} / "
                     f"{e['ask']['p95_ms']:.0f} | {e['check']['p50_ms']:.0f} / {e['check']['p95_ms']:.0f} | "
                     f"{e['ask_dated']['p50_ms']:.0f} / {e['ask_dated']['p95_ms']:.0f} | "
                     + (f"{e['check_surname']['p50_ms']:.0f} / {e['check_surname']['p95_ms']:.0f} | "
                        if "check_surname" in e else "– | ") +
                     f"{e['ask']['first_s']:.1f} | {e['peak_rss_mb']:.0f} | "
                     f"{e.get('loadavg_start', 0):.1f}–{e.get('loadavg_end', 0):.1f} |")
    for r in rows:
        if "counts" in r:
            c = r["counts"]
            if c.get("partial"):
                continue
            lines.append(f"\n{r['size']} articles: {c.get('distinct_sentence_texts_now', '?')} distinct sentence texts, "
                         f"{c['embedded_distinct_sentences']} distinct embedded sentences (vectors reused "
                         f"across copies), {c['attributions']} attributions, {c['speakers']} speakers; "
                         + f"built in {c['build_s']:.0f} s ({c['articles_per_s']:.1f} articles/s).")
        if "server" in r:
            s = r["server"]
            lines.append(f"\nThrough `chroma run` on loopback ({r['size']} articles): ask p50/p95 "
                         f"{s['ask']['p50_ms']:.0f}/{s['ask']['p95_ms']:.0f} ms, check "
                         f"{s['check']['p50_ms']:.0f}/{s['check']['p95_ms']:.0f} ms; app peak RSS "
                         f"{s['peak_rss_mb']:.0f} MiB, server peak RSS {s['server_peak_rss_mb']:.0f} MiB.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
