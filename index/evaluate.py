"""Score attribution extraction against PolNeAR gold (brat ``.ann``), with baselines.

Definitions (the published ones):

* **exact** (citron, Newell et al. 2021): a predicted cue is correct when some gold
  cue has exactly its spans; a predicted content (source) is correct when a gold
  attribution whose cue *overlaps* the predicted cue has exactly its content (source)
  spans — so sources count only when linked to their cue. Recall the other way round.
* **token overlap** (citron): precision = predicted tokens that fall in gold spans of
  the same role / all predicted tokens; recall = gold tokens covered / all gold tokens.
  For sources only tokens of attributions with overlapping cues count (linked).
* **quote matching at 30% and 80%** (GenderGapTracker, Asr et al. 2021): a predicted
  and a gold attribution match one-to-one when their shared content tokens cover at
  least that share of *both* contents; P = matched / predicted, R = matched / gold.
* **speaker accuracy**: of the gold attributions with a source matched at 30%, the
  share whose predicted source overlaps the gold source, or whose resolved speaker's
  surname appears in it.

Spans are normalised before comparison: edge whitespace removed, pieces that touch or
are separated only by whitespace merged (PolNeAR cuts a quote at sentence ends). Tokens are words and single punctuation marks. When an article has several
annotators' files, the lexicographically first is used. Only ``Attribution`` and
``Attribution-no-source`` events are scored (``Discuss``/``Discard`` notes are not).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Offsets = tuple[int, int]
SYSTEMS = ("whosaid", "textacy", "regex")
ROLES = ("content", "cue", "source")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_E_LINE = re.compile(r"^(E\d+)\t(\S+)")
_TOKEN = re.compile(r"\w+|[^\w\s]")


# ----------------------------------------------------------------------- data


@dataclass
class Attr:
    """An attribution reduced to what the scorer needs: character spans per role."""

    source: list[Offsets] = field(default_factory=list)
    cue: list[Offsets] = field(default_factory=list)
    content: list[Offsets] = field(default_factory=list)
    speaker: str | None = None

    def role(self, name: str) -> list[Offsets]:
        return getattr(self, name)


def normalise_spans(text: str, spans: list[Offsets]) -> list[Offsets]:
    """Spans without edge whitespace, sorted, with touching or overlapping pieces merged."""
    cleaned = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            cleaned.append((start, end))
    merged: list[Offsets] = []
    for start, end in sorted(cleaned):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def read_ann(path: Path, text: str) -> list[Attr]:
    """The gold attributions of one brat ``.ann`` file (spans may be discontinuous)."""
    spans: dict[str, list[Offsets]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        t = _T_LINE.match(line)
        if t:
            pieces = [tuple(map(int, p.split())) for p in t.group(3).split(";") if p.strip()]
            spans[t.group(1)] = [p for p in pieces if len(p) == 2]
            continue
        e = _E_LINE.match(line)
        if e and e.group(2).split(":")[0] in ("Attribution", "Attribution-no-source"):
            roles = dict(part.split(":", 1) for part in line.split("\t")[1].split() if ":" in part)
            events.append(roles)
    gold = []
    for roles in events:
        attr = Attr(
            source=normalise_spans(text, spans.get(roles.get("Source", ""), [])),
            cue=normalise_spans(text, spans.get(roles.get("Cue", ""), [])),
            content=normalise_spans(text, spans.get(roles.get("Content", ""), [])),
        )
        if attr.content or attr.cue:
            gold.append(attr)
    return gold


def resolve_split_dir(data_dir: Path, split: str) -> Path:
    """The folder holding ``text/`` and ``attributions/`` for a split.

    ``data_dir`` may be the corpus root (with ``data/<split>``), ``data/`` or the split itself.
    """
    for candidate in (data_dir, data_dir / split, data_dir / "data" / split):
        if (candidate / "attributions").is_dir() and (candidate / "text").is_dir():
            return candidate
    raise FileNotFoundError(f"no PolNeAR split {split!r} under {data_dir}")


def gold_files(split_dir: Path) -> list[tuple[str, Path, Path]]:
    """``(article, text path, .ann path)`` per article; the first annotator file wins."""
    chosen: dict[str, Path] = {}
    for ann in sorted((split_dir / "attributions").glob("*.ann")):
        article = ann.stem.rsplit("_", 1)[0]
        chosen.setdefault(article, ann)
    out = []
    for article, ann in sorted(chosen.items()):
        text_path = split_dir / "text" / f"{article}.txt"
        if text_path.exists():
            out.append((article, text_path, ann))
    return out


# ----------------------------------------------------------------------- scoring


class Tokens:
    """Word/punctuation tokens of a text, to turn character spans into token sets."""

    def __init__(self, text: str) -> None:
        matches = list(_TOKEN.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def of(self, spans: list[Offsets]) -> set[int]:
        """Indices of the tokens that overlap any of ``spans``."""
        found: set[int] = set()
        for start, end in spans:
            first = bisect_right(self.ends, start)
            last = bisect_left(self.starts, end)
            found.update(range(first, last))
        return found


def _overlaps(a: list[Offsets], b: list[Offsets]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


@dataclass
class Counts:
    """Summed counts of one system over the articles scored so far."""

    # exact: [correct predictions, predictions, gold found, gold] per role
    exact: dict[str, list[int]] = field(default_factory=lambda: {r: [0, 0, 0, 0] for r in ROLES})
    overlap: dict[str, list[int]] = field(default_factory=lambda: {r: [0, 0, 0] for r in ROLES})
    quotes: dict[str, list[int]] = field(default_factory=lambda: {"30": [0, 0, 0], "80": [0, 0, 0]})
    speaker: list[int] = field(default_factory=lambda: [0, 0])
    predicted: int = 0
    gold: int = 0
    sentences: int = 0
    seconds: float = 0.0
    errors: int = 0


def _exact(counts: list[int], pred: list[Attr], gold: list[Attr], role: str) -> None:
    """Add tp/predicted/gold counts for exact matching of one role (see module doc)."""

    def match(p: Attr, g: Attr) -> bool:
        if role == "cue":
            return p.cue == g.cue
        return bool(p.role(role)) and _overlaps(p.cue, g.cue) and p.role(role) == g.role(role)

    scored_pred = [p for p in pred if p.role(role)]
    scored_gold = [g for g in gold if g.role(role)]
    counts[0] += sum(1 for p in scored_pred if any(match(p, g) for g in scored_gold))
    counts[1] += len(scored_pred)
    counts[2] += sum(1 for g in scored_gold if any(match(p, g) for p in scored_pred))
    counts[3] += len(scored_gold)


def _overlap(counts: list[int], pred: list[Attr], gold: list[Attr], role: str, tokens: Tokens) -> None:
    """Add overlapping/predicted/gold token counts for one role (linked for sources)."""
    pred_tokens = [tokens.of(p.role(role)) for p in pred]
    gold_tokens = [tokens.of(g.role(role)) for g in gold]
    if role == "source":
        hit_pred: set[int] = set()
        hit_gold: set[int] = set()
        for p, pt in zip(pred, pred_tokens):
            for g, gt in zip(gold, gold_tokens):
                if _overlaps(p.cue, g.cue):
                    hit_pred |= pt & gt
                    hit_gold |= pt & gt
        counts[0] += len(hit_pred)
        counts[1] += len(set().union(*pred_tokens)) if pred_tokens else 0
        counts[2] += len(set().union(*gold_tokens)) if gold_tokens else 0
        return
    all_pred = set().union(*pred_tokens) if pred_tokens else set()
    all_gold = set().union(*gold_tokens) if gold_tokens else set()
    counts[0] += len(all_pred & all_gold)
    counts[1] += len(all_pred)
    counts[2] += len(all_gold)


def match_quotes(pred: list[Attr], gold: list[Attr], tokens: Tokens, threshold: float) -> list[tuple[int, int]]:
    """One-to-one matches ``(pred index, gold index)`` whose shared content tokens cover at
    least ``threshold`` of both contents; best coverage first."""
    pred_tokens = [tokens.of(p.content) for p in pred]
    gold_tokens = [tokens.of(g.content) for g in gold]
    pairs = []
    for i, pt in enumerate(pred_tokens):
        for j, gt in enumerate(gold_tokens):
            if not pt or not gt:
                continue
            shared = len(pt & gt)
            coverage = min(shared / len(pt), shared / len(gt))
            if shared and coverage >= threshold:
                pairs.append((coverage, i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    matches = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            matches.append((i, j))
    return matches


def speaker_correct(pred: Attr, gold: Attr, text: str) -> bool:
    """The predicted speaker is right if its source overlaps the gold source, or its
    resolved name's last word is in the gold source text."""
    if _overlaps(pred.source, gold.source):
        return True
    if pred.speaker:
        surname = pred.speaker.split()[-1].lower()
        gold_text = " ".join(text[s:e] for s, e in gold.source).lower()
        return bool(re.search(rf"\b{re.escape(surname)}\b", gold_text))
    return False


def score_article(counts: Counts, pred: list[Attr], gold: list[Attr], text: str) -> None:
    """Add one article's comparison to ``counts``."""
    tokens = Tokens(text)
    counts.predicted += len(pred)
    counts.gold += len(gold)
    for role in ROLES:
        _exact(counts.exact[role], pred, gold, role)
        _overlap(counts.overlap[role], pred, gold, role, tokens)
    for key, threshold in (("30", 0.3), ("80", 0.8)):
        matches = match_quotes(pred, gold, tokens, threshold)
        q = counts.quotes[key]
        q[0] += len(matches)
        q[1] += len(pred)
        q[2] += len(gold)
        if key == "30":
            for i, j in matches:
                if gold[j].source:
                    counts.speaker[1] += 1
                    counts.speaker[0] += speaker_correct(pred[i], gold[j], text)


def prf(tp_pred: int, n_pred: int, tp_gold: int | None, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 (``tp_gold`` defaults to ``tp_pred``)."""
    tp_gold = tp_pred if tp_gold is None else tp_gold
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def summarise(counts: Counts) -> dict:
    """The figures of one system from its summed counts."""
    out: dict = {}
    for role in ROLES:
        out[f"{role}_exact"] = prf(*counts.exact[role])
        shared, n_pred_tok, n_gold_tok = counts.overlap[role]
        out[f"{role}_overlap"] = prf(shared, n_pred_tok, None, n_gold_tok)
    for key in ("30", "80"):
        matched, n_pred, n_gold = counts.quotes[key]
        out[f"quote@{key}"] = prf(matched, n_pred, None, n_gold)
    correct, total = counts.speaker
    out["speaker_accuracy"] = round(correct / total, 4) if total else 0.0
    out["predicted"] = counts.predicted
    out["gold"] = counts.gold
    out["sentences_per_second"] = round(counts.sentences / counts.seconds, 1) if counts.seconds else None
    out["errors"] = counts.errors
    return out


# ----------------------------------------------------------------------- systems


def _from_attributions(attributions) -> list[Attr]:
    return [
        Attr(
            source=[(a.source.start, a.source.end)] if a.source else [],
            cue=[(a.cue.start, a.cue.end)] if a.cue else [],
            content=[(c.start, c.end) for c in a.content],
            speaker=a.speaker,
        )
        for a in attributions
    ]


def _from_baseline(found) -> list[Attr]:
    return [Attr(source=b.source, cue=b.cue, content=b.content, speaker=b.speaker) for b in found]


def system_runners() -> dict[str, Callable]:
    """``name -> run(doc, article, sentences) -> (list[Attr], errors)``; textacy only if installed."""
    from index.attribute import extract
    from index.baselines import regex_quotations, textacy_available, textacy_quotations

    runners: dict[str, Callable] = {
        "whosaid": lambda doc, article, sentences: (
            _from_attributions(extract(doc, article, sentences).attributions), 0
        ),
        "regex": lambda doc, article, sentences: (_from_baseline(regex_quotations(article.text)), 0),
    }
    if textacy_available():

        def run_textacy(doc, article, sentences):
            found, errors = textacy_quotations(doc, article.text)
            return _from_baseline(found), errors

        runners["textacy"] = run_textacy
    return runners


def iter_parsed(split_dir: Path, limit: int | None, nlp=None) -> Iterator[tuple]:
    """``(article, doc, sentences, gold)`` for the split's articles, parsed in a batch."""
    from index.furniture import find_furniture
    from index.models import Article
    from index.nlp import load_nlp, parse
    from index.sentences import split_sentences

    nlp = nlp or load_nlp()
    files = gold_files(split_dir)[: limit or None]
    texts = [path.read_text(encoding="utf-8") for _, path, _ in files]
    for (name, _, ann), text, doc in zip(files, texts, parse(nlp, texts)):
        article = Article(id=name, text=text, content_hash=name, furniture=find_furniture(text))
        yield article, doc, split_sentences(article, doc), read_ann(ann, text)


def evaluate_attribution(
    data_dir: Path,
    extractor_name: str = "whosaid",
    limit: int | None = None,
    split: str = "dev",
    nlp=None,
) -> dict:
    """Score whosaid (or the named extractor) and the baselines on a PolNeAR split.

    Returns ``{"split", "articles", "extractor", "systems": {name: figures}}``; figures
    as in the module docstring, plus ``sentences_per_second`` after parsing.
    """
    split_dir = resolve_split_dir(Path(data_dir), split)
    runners = system_runners()
    if extractor_name not in runners:
        raise ValueError(f"unknown extractor {extractor_name!r}; have {sorted(runners)}")
    counts = {name: Counts() for name in runners}
    articles = 0
    for article, doc, sentences, gold in iter_parsed(split_dir, limit, nlp):
        articles += 1
        for name, run in runners.items():
            started = time.perf_counter()
            pred, errors = run(doc, article, sentences)
            counts[name].seconds += time.perf_counter() - started
            counts[name].sentences += len(sentences)
            counts[name].errors += errors
            pred = [
                Attr(
                    source=normalise_spans(article.text, p.source),
                    cue=normalise_spans(article.text, p.cue),
                    content=normalise_spans(article.text, p.content),
                    speaker=p.speaker,
                )
                for p in pred
            ]
            score_article(counts[name], pred, gold, article.text)
    systems = {name: summarise(c) for name, c in counts.items()}
    order = [extractor_name] + [n for n in SYSTEMS if n in systems and n != extractor_name]
    return {
        "split": split,
        "articles": articles,
        "extractor": extractor_name,
        "systems": {name: systems[name] for name in order},
        "skipped": {name: "not installed" for name in SYSTEMS if name not in systems},
    }


# ----------------------------------------------------------------------- report


FIGURES = (
    ("content token-overlap", "content_overlap"),
    ("content exact", "content_exact"),
    ("cue exact", "cue_exact"),
    ("cue token-overlap", "cue_overlap"),
    ("source (linked) exact", "source_exact"),
    ("source (linked) token-overlap", "source_overlap"),
    ("quote match ≥30%", "quote@30"),
    ("quote match ≥80%", "quote@80"),
)


def format_report(report: dict) -> str:
    """The report as a markdown table: one row per figure, P/R/F1 per system."""
    systems = list(report["systems"])
    header = "| figure | " + " | ".join(f"{s} P / R / F1" for s in systems) + " |"
    lines = [
        f"PolNeAR {report['split']}: {report['articles']} articles",
        "",
        header,
        "|---|" + "---|" * len(systems),
    ]
    for label, key in FIGURES:
        cells = []
        for s in systems:
            f = report["systems"][s][key]
            cells.append(f"{f['p']:.3f} / {f['r']:.3f} / **{f['f1']:.3f}**")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append(
        "| speaker accuracy (matched ≥30%) | "
        + " | ".join(f"{report['systems'][s]['speaker_accuracy']:.3f}" for s in systems)
        + " |"
    )
    lines.append(
        "| sentences/s after parsing | "
        + " | ".join(str(report["systems"][s]["sentences_per_second"]) for s in systems)
        + " |"
    )
    lines.append(
        "| predicted / gold attributions | "
        + " | ".join(f"{report['systems'][s]['predicted']} / {report['systems'][s]['gold']}" for s in systems)
        + " |"
    )
    for name, reason in report.get("skipped", {}).items():
        lines.append(f"\n{name}: skipped ({reason}; `pip install whosaid[eval]`)")
    return "\n".join(lines)


def default_corpus_dir() -> Path:
    """``$WHOSAID_POLNEAR_DIR`` or the repository's sibling ``shared/corpora/polnear``."""
    env = os.environ.get("WHOSAID_POLNEAR_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "shared" / "corpora" / "polnear"


def main(argv: list[str] | None = None) -> int:
    """``python -m index.evaluate DIR [--split dev|train] [--limit N] [--json]``."""
    parser = argparse.ArgumentParser(prog="python -m index.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path, default=None, help="PolNeAR corpus directory")
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--extractor", default="whosaid", choices=SYSTEMS)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        report = evaluate_attribution(
            args.dir or default_corpus_dir(), args.extractor, args.limit, split=args.split
        )
    except (FileNotFoundError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
