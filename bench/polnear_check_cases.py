"""Quote-check cases generated at run time from PolNeAR dev gold quotes (nothing is copied
into the repository).

    python -m bench.polnear_check_cases [--articles 12] [--per-article 5] [--no-write]

A temporary store gets the first ``--articles`` dev articles. From each gold attribution
whose source names someone (a capitalised word, not a pronoun) and whose content has 6–40
words, it generates:

* ``exact`` (verbatim): the gold content, claimed by its speaker;
* ``variant`` (verbatim): lower-cased, punctuation stripped, straight quotes curled;
* ``negation`` (altered): "not" inserted after the first auxiliary, or removed;
* ``number`` (altered): a number changed; ``name`` (altered): a capitalised name swapped
  for an invented one; ``inserted`` (altered): a word added that the source does not say;
* ``other_speaker`` (misattributed): claimed by another named source of the same article;
* ``unindexed`` (not_found): gold content of dev articles that are not in the store.

Per-class accuracy is reported, with who-said accuracy (the checker's speaker on the exact
quotes, no claimed speaker) next to the extractor's speaker accuracy on the same quotes
(the speakers stored for the sentences holding the gold content): its ceiling.
"""

from __future__ import annotations

import argparse
import random
import re
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import write_section

CLASSES = {"exact": "verbatim", "variant": "verbatim", "negation": "altered", "number": "altered",
           "name": "altered", "inserted": "altered", "other_speaker": "misattributed", "unindexed": "not_found"}
SECTION = "Quote check (cases generated from PolNeAR dev)"
_AUX = re.compile(r"\b(is|are|was|were|will|would|can|could|should|has|have|had|does|did|do|must)\b", re.I)
_NOT = re.compile(r"\s+not\b|n't\b", re.I)
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_CAPITAL = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{2,}\b")
_PRONOUNS = {"He", "She", "They", "It", "We", "I", "You", "The", "A", "An", "This", "That"}
INVENTED = ["Varnholt", "Quillory", "Brashford", "Ostermeyer", "Thandwell"]
INSERTED = ["secretly", "reluctantly", "illegally", "deliberately"]


def surname(source: str) -> str | None:
    """The name a gold source gives (its last capitalised word), or None for pronouns etc."""
    caps = [w for w in re.findall(r"\b[A-Z][\w'’.-]+\b", source) if w not in _PRONOUNS]
    return caps[-1].rstrip(".").removesuffix("'s").removesuffix("’s") if caps else None


def gold_quotes(text: str, gold) -> list[dict]:
    """Usable gold quotes of one article: content text, spans and the source's name."""
    out = []
    for attr in gold:
        if not attr.content or not attr.source:
            continue
        content = " ".join(text[s:e] for s, e in attr.content).strip().strip('"“”').strip()
        source = " ".join(text[s:e] for s, e in attr.source)
        name = surname(source)
        if name and 6 <= len(content.split()) <= 40:
            out.append({"quote": content, "speaker": name, "source": source, "spans": attr.content})
    return out


def variants(q: dict, others: list[str], rng: random.Random) -> list[tuple[str, str, str | None]]:
    """``(class, quote, claimed speaker)`` cases generated from one gold quote."""
    quote, who = q["quote"], q["speaker"]
    cases = [("exact", quote, who),
             ("variant", "“" + re.sub(r"[,;:!?\"“”]", "", quote).lower() + "”", who)]
    if _NOT.search(quote):
        cases.append(("negation", _NOT.sub("", quote, count=1), who))
    elif m := _AUX.search(quote):
        cases.append(("negation", quote[: m.end()] + " not" + quote[m.end():], who))
    if m := _NUMBER.search(quote):
        value = m.group().replace(",", "")
        new = str(int(float(value)) * 2 + 7)
        cases.append(("number", quote[: m.start()] + new + quote[m.end():], who))
    if m := _CAPITAL.search(quote):
        cases.append(("name", quote[: m.start()] + rng.choice(INVENTED) + quote[m.end():], who))
    words = quote.split()
    at = max(1, len(words) // 2)
    cases.append(("inserted", " ".join(words[:at] + [rng.choice(INSERTED)] + words[at:]), who))
    other = [o for o in others if o.lower() != who.lower()]
    if other:
        cases.append(("other_speaker", quote, rng.choice(other)))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12, help="dev articles to index")
    parser.add_argument("--unindexed", type=int, default=4, help="dev articles left out (not_found cases)")
    parser.add_argument("--per-article", type=int, default=5, help="gold quotes per article")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)
    from bot.runtime import Runtime
    from index.config import load_settings
    from index.evaluate import default_corpus_dir, gold_files, read_ann, resolve_split_dir

    rng = random.Random(5)
    files = gold_files(resolve_split_dir(default_corpus_dir(), "dev"))
    indexed, left_out = files[: args.articles], files[args.articles: args.articles + args.unindexed]
    results: list[tuple[str, str, str, str | None]] = []  # (class, expected, got, detail)
    who_ok = extractor_ok = who_n = 0
    with tempfile.TemporaryDirectory(prefix="whosaid-polnear-cases-") as tmp:
        rt = Runtime(load_settings({"store": Path(tmp) / "store", "index_seeds_on_first_run": False}, environ={}))
        try:
            ids = {}
            for name, text_path, _ in indexed:
                (result,) = rt.ingest_paths([text_path])
                ids[name] = result.article_id
            checker = rt.quote_checker()
            for name, text_path, ann in indexed:
                text = text_path.read_text(encoding="utf-8")
                quotes = gold_quotes(text, read_ann(ann, text))
                if not ids.get(name) or not quotes:
                    continue
                speakers = sorted({q["speaker"] for q in quotes})
                sentences = [s for s in rt.store.iter_sentences() if s.article_id == ids[name]]
                for q in rng.sample(quotes, min(args.per_article, len(quotes))):
                    for cls, quote, claimed in variants(q, speakers, rng):
                        v = checker.check(quote, claimed)
                        results.append((cls, CLASSES[cls], v.verdict, f"{quote[:80]!r} claimed={claimed}"))
                    who_n += 1
                    said = checker.check(q["quote"]).speaker or ""
                    who_ok += q["speaker"].lower() in said.lower().split()
                    holding = [s for s in sentences if any(s.start < e and b < s.end for b, e in q["spans"])]
                    names = " ".join(n for s in holding for n in s.speakers).lower()
                    extractor_ok += q["speaker"].lower() in names.split()
            for name, text_path, ann in left_out:
                text = text_path.read_text(encoding="utf-8")
                for q in gold_quotes(text, read_ann(ann, text))[: args.per_article]:
                    v = checker.check(q["quote"], q["speaker"])
                    results.append(("unindexed", "not_found", v.verdict, f"{q['quote'][:80]!r}"))
        finally:
            rt.close()
    totals, right = Counter(), Counter()
    for cls, expected, got, _ in results:
        totals[cls] += 1
        right[cls] += expected == got
    confusion = Counter((cls, got) for cls, _, got, _ in results)
    lines = [f"{args.articles} PolNeAR dev articles indexed (+{args.unindexed} left out for `not_found`), up to "
             f"{args.per_article} gold quotes each (named sources, 6–40 words); cases generated at run time, "
             "no PolNeAR text in the repository. Shared machine.", "",
             "| class | expected | accuracy | verdicts given |", "|---|---|---|---|"]
    for cls, expected in CLASSES.items():
        given = ", ".join(f"{g} {n}" for (c, g), n in sorted(confusion.items()) if c == cls)
        acc = f"{100 * right[cls] / totals[cls]:.1f}% ({right[cls]}/{totals[cls]})" if totals[cls] else "n/a"
        lines.append(f"| {cls} | {expected} | {acc} | {given} |")
    n = sum(totals.values())
    lines += [f"| **all** | | {100 * sum(right.values()) / max(1, n):.1f}% ({sum(right.values())}/{n}) | |", "",
              f"- who-said (the checker's speaker for the exact quote, no claimed speaker): "
              f"{100 * who_ok / max(1, who_n):.1f}% ({who_ok}/{who_n})",
              f"- the extractor's speaker on the same quotes (stored speakers of the sentences holding "
              f"the gold content), the ceiling: {100 * extractor_ok / max(1, who_n):.1f}% ({extractor_ok}/{who_n})",
              ""]
    body = "\n".join(lines)
    print(body)
    if args.show_errors:
        for cls, expected, got, detail in results:
            if expected != got:
                print(f"{cls}: expected {expected} got {got} | {detail}")
    if not args.no_write:
        write_section(SECTION, body, "python -m bench.polnear_check_cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
