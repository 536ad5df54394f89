"""What an ingest's memory is made of: the resident size against articles ingested, and
each part of the pipeline alone on the same articles.

    python -m bench.ingest_memory curve CORPUS_DIR STORE_DIR --articles 3000 [--server]
    python -m bench.ingest_memory parts CORPUS_DIR STORE_DIR --articles 1200

``curve`` ingests the first N files of a corpus (``bench/corpus.py``) into a new store and
samples the process's RSS every 2 s with the number of articles done; with ``--server``
the store is a ``chroma run`` on loopback, whose RSS is sampled too. ``parts`` ingests the
first N files, then measures in fresh processes what each part adds on its own: spaCy's
parse and the extractor, the embedding of the store's sentences in ingest-sized batches,
and Chroma writing the store's rows into a new store (the rows read first, then written
in 60 rounds over every collection, as an ingest interleaves them). Each result is one
JSON line; nothing is written to docs/.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import threading
import time
from pathlib import Path

from bench.harness import emit, run_child, runtime_for
from index.store import get_all


def _rss(pid: int | str = "self") -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def _files(corpus: Path, n: int) -> list[Path]:
    return sorted(corpus.glob("*.md"))[:n]


def curve(corpus: Path, store: Path, articles: int, server: bool = False) -> dict:
    """Ingest ``articles`` files and sample RSS against articles done (and the Chroma
    server's, with ``server``)."""
    if not server:
        return _curve(corpus, store, None, None, articles)
    from bench.harness import chroma_server

    with chroma_server(store) as (url, pid):
        return _curve(corpus, None, url, pid, articles)


def _curve(corpus: Path, store: Path | None, url: str | None, server_pid: int | None, articles: int) -> dict:
    done, samples, stop = [0], [], threading.Event()

    def sample() -> None:
        start = time.time()
        while not stop.is_set():
            samples.append((round(time.time() - start, 1), done[0], _rss(),
                            _rss(server_pid) if server_pid else None))
            stop.wait(2)

    rt = runtime_for(store, url)
    rt.embeddings, rt.nlp, rt.store  # noqa: B018 - load the models and open the store first
    loaded = _rss()
    threading.Thread(target=sample, daemon=True).start()
    start = time.time()
    rt.ingest_paths(_files(corpus, articles), progress=lambda n, total, what: done.__setitem__(0, n))
    wall = time.time() - start
    stop.set()
    rt.close()
    # the RSS at every tenth of the run (``emit`` adds the peak)
    marks = {}
    for _, n, rss, server_rss in samples:
        marks[n * 10 // max(1, articles)] = (n, rss, server_rss) if server_pid else (n, rss)
    out = {"what": "curve", "articles": articles, "loaded_mib": loaded,
           "wall_s": round(wall, 1), "rss_by_articles": sorted(marks.values())}
    if server_pid:
        out["server_peak_sampled_mib"] = max(s[3] for s in samples)
    return out


def part_parse(corpus: Path, articles: int) -> dict:
    """spaCy's parse and the extractor alone, in ingest-sized batches."""
    from index.attribute import extract
    from index.ingest import Indexer, load_inputs

    rt = runtime_for(None, None)
    items, _ = load_inputs([str(p) for p in _files(corpus, articles)], None, 10**8)
    indexer = Indexer.__new__(Indexer)
    indexer.nlp, indexer.extract = rt.nlp, extract
    before = _rss()
    for i in range(0, len(items), 16):
        indexer.analyse(items[i : i + 16])
    return {"what": "parse and extract", "before_mib": before, "after_mib": _rss()}


def _collections(store: Path):
    from index.store import open_client

    client = open_client(store, None)
    return client, [client.get_collection(c.name) for c in client.list_collections()]


def part_embed(store: Path) -> dict:
    """The embedding of the store's sentences alone, 350 texts a batch (16 articles)."""
    from index.embeddings import MiniLMOnnxEmbeddings

    _, collections = _collections(store)
    texts = get_all(next(c for c in collections if c.name.endswith("_sentences")), ["documents"])["documents"]
    model = MiniLMOnnxEmbeddings(threads=1)
    before = _rss()
    for i in range(0, len(texts), 350):
        model.embed_array(texts[i : i + 350])
    return {"what": "embedding", "sentences": len(texts), "before_mib": before, "after_mib": _rss()}


def part_chroma(store: Path, target: Path) -> dict:
    """Chroma writing the store's rows into a new store, 60 rounds over every collection."""
    from index.store import open_client

    client, collections = _collections(store)
    rows = {c.name: (get_all(c, ["embeddings", "documents", "metadatas"]), c.metadata)
            for c in collections if c.count()}
    del client, collections
    gc.collect()
    new = open_client(target, None)
    before = _rss()
    into = {name: new.get_or_create_collection(name, metadata=meta, embedding_function=None,
                                               configuration={"hnsw": {"space": "cosine"}})
            for name, (_, meta) in rows.items()}
    rounds = 60
    for r in range(rounds):
        for name, (got, _) in rows.items():
            lo, hi = len(got["ids"]) * r // rounds, len(got["ids"]) * (r + 1) // rounds
            if hi > lo:
                into[name].upsert(ids=got["ids"][lo:hi], embeddings=got["embeddings"][lo:hi],
                                  documents=got["documents"][lo:hi],
                                  metadatas=[m or None for m in got["metadatas"][lo:hi]])
    return {"what": "chroma writes", "rows": {name: len(got["ids"]) for name, (got, _) in rows.items()},
            "before_mib": before, "after_mib": _rss()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["curve", "parts", "part-parse", "part-embed", "part-chroma"])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("store", type=Path)
    parser.add_argument("--articles", type=int, default=1200)
    parser.add_argument("--server", action="store_true", help="curve: the store is a chroma run on loopback")
    args = parser.parse_args(argv)
    if args.mode == "curve":
        emit(curve(args.corpus, args.store, args.articles, server=args.server))
    elif args.mode == "parts":
        emit(curve(args.corpus, args.store, args.articles))
        common = [str(args.corpus), str(args.store), "--articles", str(args.articles)]
        for part in ("part-parse", "part-embed", "part-chroma"):
            print(json.dumps(run_child("bench.ingest_memory", [part, *common])), flush=True)  # its own peak
    elif args.mode == "part-parse":
        emit(part_parse(args.corpus, args.articles))
    elif args.mode == "part-embed":
        emit(part_embed(args.store))
    else:
        emit(part_chroma(args.store, args.store.with_name(args.store.name + "-copy")))


if __name__ == "__main__":
    sys.exit(main())
