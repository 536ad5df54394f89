"""Attribution extraction speed after parsing: sentences per second on one core.

    python bench/attribution_speed.py [DIR] [--split dev] [--limit N] [--repeat 3] [--no-write]

Parses the articles once (spaCy, not timed), then times ``index.attribute.extract`` alone
over all of them, ``--repeat`` times in this single process (one core), and reports the
best and median rate. Target: at least 600 sentences/s per core. Writes the section
"## Attribution extraction speed" of ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.common import write_section  # noqa: E402
from index.attribute import extract  # noqa: E402
from index.evaluate import default_corpus_dir, iter_parsed, resolve_split_dir  # noqa: E402

TARGET = 600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=None)
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    split_dir = resolve_split_dir(args.dir or default_corpus_dir(), args.split)
    parsed = [(article, doc, sentences) for article, doc, sentences, _ in iter_parsed(split_dir, args.limit)]
    n_sentences = sum(len(s) for _, _, s in parsed)
    rates = []
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        for article, doc, sentences in parsed:
            extract(doc, article, sentences)
        rates.append(n_sentences / (time.perf_counter() - started))
    verdict = "meets" if max(rates) >= TARGET else "misses"
    text = (
        f"PolNeAR {args.split}: {len(parsed)} articles, {n_sentences} sentences, parsed once "
        f"(not timed); `extract` timed alone, {len(rates)} runs in one process (one core).\n\n"
        "| figure | value |\n|---|---|\n"
        f"| best, sentences/s per core | {max(rates):.0f} |\n"
        f"| median, sentences/s per core | {statistics.median(rates):.0f} |\n"
        f"| target | ≥ {TARGET} ({verdict}) |\n\n"
        "Taken on a shared machine (other jobs running): rates are a lower bound."
    )
    print(text)
    if not args.no_write and args.limit is None:
        write_section("Attribution extraction speed", text, "python bench/attribution_speed.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
