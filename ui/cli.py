"""The ``whosaid`` command line. Every verb has ``--json``.

Exit status: 0 on success (an answer saying the sources don't know is a success),
1 when an input was refused (the others still processed) or the store cannot be used,
2 on a usage error. No traceback reaches the user (``WHOSAID_DEBUG=1`` shows one).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path

from index.errors import ConfigError, WhosaidError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits with 2 itself; keep one path
        raise UsageError(f"{self.prog}: {message}")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON")
    p.add_argument("--store", help="store directory (env WHOSAID_STORE)")
    p.add_argument("--chroma-url", help="Chroma server URL (env WHOSAID_CHROMA_URL)")
    p.add_argument("--embeddings", help="embedding model (env WHOSAID_EMBEDDINGS)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="whosaid", description="Who said what: a fact-claim tracker for news.")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="index files, folders (and URLs)")
    _common(p)
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders, http(s) addresses, or - for an article's text on standard input")
    for field in ("title", "outlet", "date", "url"):
        p.add_argument(f"--{field}")

    p = sub.add_parser("ask", help="ask who said what")
    _common(p)
    p.add_argument("question")
    p.add_argument("--speaker", action="append", default=[], help="only statements by this speaker")
    p.add_argument("--article", action="append", default=[], help="only this article id")
    p.add_argument("--since", help="only articles dated on or after (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles dated on or before (YYYY-MM-DD)")
    p.add_argument("--llm", metavar="MODEL", help="answer with this LLM (env WHOSAID_LLM_MODEL)")
    p.add_argument("--session", metavar="FILE",
                   help="a conversation file: follow-ups such as “what else did he say?” resolve against it")

    p = sub.add_parser("check", help="check a quote (or every quote of a draft) against the sources")
    _common(p)
    p.add_argument("quote", nargs="?")
    p.add_argument("--speaker", help="who the quote is attributed to")
    p.add_argument("--file", help="a draft: check every quotation and attributed statement in it")

    p = sub.add_parser("extract", help="print the attributions of a file (nothing is stored)")
    _common(p)
    p.add_argument("file")

    for verb, text in (("speakers", "list speakers"), ("articles", "list indexed articles"),
                       ("reindex", "rebuild derived data (reuses cached embeddings)")):
        _common(sub.add_parser(verb, help=text))

    p = sub.add_parser("claims", help="claims across articles: appearances, drift, contradictions")
    _common(p)
    p.add_argument("--speaker", help="only this speaker's claims (any name or alias)")
    p.add_argument("--claimreview", metavar="ID", help="print one claim as schema.org ClaimReview JSON-LD")
    p.add_argument("--csv", metavar="FILE", help="also write the claims as CSV (one row per appearance)")

    p = sub.add_parser("show", help="print an indexed article: its sentences (with ids) and attributions")
    _common(p)
    p.add_argument("article_id", help="an id from `whosaid articles` (or its first characters)")

    p = sub.add_parser("delete", help="remove an article and everything derived from it")
    _common(p)
    p.add_argument("article_id", help="an id from `whosaid articles` (or its first characters, naming one article)")

    p = sub.add_parser("ui", help="start the Streamlit app")
    _common(p)
    p.add_argument("--port", type=_port, default=8501)
    p.add_argument("--headless", action="store_true", help="do not open a browser")

    p = sub.add_parser("eval", help="evaluate against an annotated corpus")
    p.add_argument("what", choices=["attribution"])
    p.add_argument("dir")
    p.add_argument("--split", default="dev")
    p.add_argument("--limit", type=int)
    p.add_argument("--json", action="store_true")
    return parser


def _port(text: str) -> int:
    """A TCP port number for ``--port`` (argparse reports anything else as a usage error)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1 to 65535)")
    return port


def _settings(args):
    from index.config import load_settings

    overrides = {"store": getattr(args, "store", None), "chroma_url": getattr(args, "chroma_url", None),
                 "embeddings": getattr(args, "embeddings", None), "llm_model": getattr(args, "llm", None)}
    return load_settings(overrides)


def _runtime(args):
    from bot.runtime import Runtime

    return Runtime(_settings(args))


def _emit(args, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if args.json else text)


def _progress(args) -> Callable[[int, int, str], None] | None:
    if args.json or not sys.stderr.isatty():
        return None
    return lambda done, total, name: print(f"\r[{done}/{total}] {name[-60:]:<60}", end="", file=sys.stderr)


def _ensure_seeded(rt) -> None:
    """Index the seed corpus on the first run of an empty store, saying so on stderr
    (never on stdout: ``--json`` output stays one JSON document)."""
    added = [r for r in rt.ensure_seeded() if r.status == "indexed"]
    if added:
        names = ", ".join(f"“{r.title or r.path}” ({r.article_id})" for r in added)
        print(f"whosaid: first run: added the seed article{'s' if len(added) > 1 else ''} {names} to your "
              "store; `whosaid delete ID` removes it, WHOSAID_INDEX_SEEDS=0 turns this off", file=sys.stderr)


def cmd_ingest(args) -> int:
    from index.load import DateError, Metadata, MetadataError, check_one_article

    try:
        given = Metadata(title=args.title, outlet=args.outlet, date=args.date, url=args.url).checked()
        check_one_article(args.paths, given)
    except DateError as exc:
        raise UsageError(f"whosaid ingest: --date: {exc}") from None
    except MetadataError as exc:  # a URL that is not a web address, or one for several articles
        raise UsageError(f"whosaid ingest: --url: {exc}") from None
    if args.paths.count("-") > 1:
        raise UsageError("whosaid ingest: standard input (-) can be read once")
    pasted = sys.stdin.read() if "-" in args.paths else None  # before the store is opened and locked
    rt = _runtime(args)
    try:
        urls = [p for p in args.paths if "://" in p]
        paths = [p for p in args.paths if "://" not in p and p != "-"]
        results = rt.ingest_paths(paths, given, progress=_progress(args)) if paths else []
        for url in urls:
            results.extend(rt.ingest_url(url, given))
        if pasted is not None:
            results.extend(rt.ingest_text(pasted, given, name="standard input"))
        lexical = _update_lexical_index(rt, results, args)
    finally:
        rt.close()
    if _progress(args):
        print(file=sys.stderr)
    lines = [f"{r.status:<9} {r.article_id or '-':<16} {r.sentences:>4} sentences {r.attributions:>4} "
             f"attributions  {r.path or r.title or ''}" + (f"  ({r.reason})" if r.reason else "")
             + "".join(f"\n          warning: {w}" for w in r.warnings)
             for r in results]
    if lexical:
        lines.append(f"search index brought up to date for the next question ({lexical['seconds']:.1f} s)")
    _emit(args, {"results": [r.to_dict() for r in results], "lexical_index": lexical}, "\n".join(lines))
    return EXIT_REFUSED if any(r.status == "refused" for r in results) else EXIT_OK


def _update_lexical_index(rt, results, args) -> dict | None:
    """``Runtime.update_lexical_index`` after a bulk ingest, saying so on a terminal; a
    failure costs only the next question's time, never the ingest."""
    def starting() -> None:
        if _progress(args):
            print("\nbringing the search index up to date for the next question …", end="", file=sys.stderr,
                  flush=True)

    try:
        return rt.update_lexical_index(results, starting)
    except Exception as exc:  # the articles are stored; the next question builds the index
        print(f"\nwarning: the search index was not updated ({type(exc).__name__}: {exc}); "
              "the next question will update it", file=sys.stderr)
        return None


def cmd_ask(args) -> int:
    from bot.retrieve import Filters
    from index.load import normalise_date

    rt = _runtime(args)
    try:
        _ensure_seeded(rt)
        speaker_ids = []
        index = rt.speaker_index()
        for name in args.speaker:
            found = index.named(name)
            if not found:
                raise WhosaidError(f"no known speaker matches {name!r} (see `whosaid speakers`)")
            speaker_ids.extend(s.id for s in found)
        if missing := sorted(set(args.article) - set(rt.store.article_metadata(args.article))):
            raise WhosaidError(f"no article {', '.join(missing)} (see `whosaid articles`)")
        for label, value in (("--since", args.since), ("--until", args.until)):
            if value and not normalise_date(value):
                raise UsageError(f"whosaid ask: {label} needs a date such as 2024-01-31")
        filters = Filters(speaker_ids=speaker_ids, article_ids=args.article,
                          since=normalise_date(args.since), until=normalise_date(args.until))
        session = None
        request = {"question": args.question, "filters": filters}
        if args.session:
            from bot.session import Session

            session = Session.load(args.session)
            request.update(previous_speakers=session.previous_speakers(index.by_id),
                           previously_cited=session.previously_cited())
        answer = rt.answerer().invoke(request)
        if session is not None:
            from bot.session import answer_speakers

            session.record(args.question, answer_speakers(answer, index.find),
                           [c.sentence_id for c in answer.citations])
            session.save()
    finally:
        rt.close()
    lines = [answer.text, ""] + [
        f"[{c.n}] {c.text}\n    — {c.title or 'untitled'}, {c.outlet or 'outlet unknown'}, "
        f"{c.date or 'date unknown'} ({c.sentence_id})" for c in answer.citations]
    lines += [f"note ({answer.backend}): {note}" for note in answer.notes]
    _emit(args, answer.to_dict(), "\n".join(lines).strip())
    return EXIT_OK


def _verdict_lines(v: dict) -> list[str]:
    lines = [f"{v['verdict'].upper()}" + (f" — said by {v['speaker']}" if v.get("speaker") else "")
             + (f" (claimed: {v['claimed_speaker']})" if v.get("claimed_speaker") else "")]
    lines += [f"  because: {r}" for r in v.get("reasons", [])]
    for e in v.get("evidence", [])[:2]:
        lines.append(f"  evidence: {e['text']}\n    — {e.get('title') or 'untitled'}, "
                     f"{e.get('outlet') or 'outlet unknown'}, {e.get('date') or 'date unknown'} ({e['sentence_id']})")
    changes = [d for d in v.get("diff", []) if d["op"] != "equal"]
    for d in changes[:8]:
        lines.append(f"  {d['op']}: quote “{d['quote']}” / source “{d['source']}”")
    for d in v.get("disputes", []):
        e = d["evidence"]
        lines.append(f"  DISPUTED: {d['reason']}: {e['text']}\n    — {e.get('title') or 'untitled'}, "
                     f"{e.get('outlet') or 'outlet unknown'}, {e.get('date') or 'date unknown'} ({e['sentence_id']})")
    return lines


def cmd_check(args) -> int:
    from bot.draft import check_draft
    from index.load import decode_bytes

    if bool(args.quote) == bool(args.file):
        raise UsageError("whosaid check: give a QUOTE or --file DRAFT (one of them)")
    rt = _runtime(args)
    try:
        _ensure_seeded(rt)
        checker = rt.quote_checker()
        if args.file:
            path = Path(args.file)
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise WhosaidError(f"cannot read {path}: {exc.strerror or exc}") from None
            if len(data) > rt.settings.max_file_bytes:
                raise WhosaidError(f"the draft is over the {rt.settings.max_file_bytes / 1e6:.0f} MB limit")
            text, _ = decode_bytes(data)
            checks = check_draft(checker, text, rt.nlp)
            lines = []
            for c in checks:
                lines.append(f"“{c['quote'][:120]}” ({c['start']}–{c['end']})")
                lines += ["  " + line for line in _verdict_lines(c)]
            _emit(args, {"checks": checks}, "\n".join(lines) or "no quotations found in the draft")
            return EXIT_OK
        verdict = checker.check(args.quote, args.speaker).to_dict()
    finally:
        rt.close()
    _emit(args, verdict, "\n".join(_verdict_lines(verdict)))
    return EXIT_OK


def cmd_extract(args) -> int:
    from index.load import load_file
    from index.nlp import load_nlp
    from index.sentences import split_sentences

    from index.attribute import extract
    from index.load import SUPPORTED_SUFFIXES

    kinds = ", ".join(sorted(SUPPORTED_SUFFIXES))
    if "://" in args.file:
        raise UsageError(f"whosaid extract: reads one file ({kinds}); to add a web page, `whosaid ingest URL`")
    if Path(args.file).is_dir():
        raise UsageError(f"whosaid extract: {args.file} is a folder; extract reads one file ({kinds})")
    article = load_file(Path(args.file), max_bytes=_settings(args).max_file_bytes)
    doc = load_nlp()(article.text)
    result = extract(doc, article, split_sentences(article, doc))
    items = [{"speaker": a.speaker, "source": a.source.to_dict() if a.source else None,
              "cue": a.cue.to_dict() if a.cue else None, "content": [c.to_dict() for c in a.content],
              "kind": a.kind, "stance": a.stance, "sentence_ids": a.sentence_ids} for a in result.attributions]
    lines = [f"{a['kind']:<8} {a['speaker'] or '?':<28} {(a['cue'] or {}).get('text', '-'):<10} "
             f"{'' if a['stance'] == 'asserted' else '[' + a['stance'] + '] '}"
             f"{' … '.join(c['text'] for c in a['content'])[:100]}" for a in items]
    _emit(args, {"article_id": article.id, "attributions": items}, "\n".join(lines))
    return EXIT_OK


def cmd_speakers(args) -> int:
    from bot.speakers import speaker_table

    rt = _runtime(args)
    try:
        rows = speaker_table(rt.store)
    finally:
        rt.close()
    lines = [f"{r['statements']:>4} statement{'s' if r['statements'] != 1 else ' '}  "
             f"{r['articles']:>3} article{'s' if r['articles'] != 1 else ' '}  {r['name']}"
             + (f" ({r['role']})" if r["role"] else "") + (f"  aka {', '.join(r['aliases'])}" if r["aliases"] else "")
             for r in rows]
    _emit(args, {"speakers": rows}, "\n".join(lines) or "no speakers yet")
    return EXIT_OK


def _one_speaker(rt, name: str) -> str:
    """The id of the one speaker ``name`` names (a speaker id is taken as it is); a name
    that several speakers share is refused with their full names, never silently narrowed
    to the first of them: two people's claims must not be tracked as one."""
    from index.errors import QueryError

    index = rt.speaker_index()
    if name in index.by_id:
        return name
    found = index.named(name)
    if not found:
        raise QueryError(f"no known speaker named {name!r}")
    if len(found) > 1:
        listed = "; ".join(f"{s.name} ({s.id})" for s in found[:10])
        more = f" and {len(found) - 10} more" if len(found) > 10 else ""
        raise QueryError(f"{name!r} may be any of {len(found)} speakers: {listed}{more}. "
                         "Give the full name or the id in brackets.")
    return found[0].id


def cmd_claims(args) -> int:
    from bot.claimreview import claim_review, write_claims_csv
    from bot.claims import REVIEWED_CLAIMS, build_claims, claim_speaker, other_speakers, review_verdict, review_verdicts
    from index.errors import QueryError

    rt = _runtime(args)
    try:
        speaker_id = _one_speaker(rt, args.speaker) if args.speaker else None
        if speaker_id is None and args.claimreview:
            # a claim belongs to one speaker: build only theirs, not the whole archive's
            speaker_id = claim_speaker(rt.store, args.claimreview)
            if speaker_id is None:
                raise QueryError(f"no claim {args.claimreview!r}")
        claim_set = build_claims(rt.store, speaker_id)
        if args.claimreview:
            claim = claim_set.get(args.claimreview)
            if claim is None:
                raise QueryError(f"no claim {args.claimreview!r}" +
                                 (f" by {args.speaker}" if args.speaker else ""))
            verdict, reasons = review_verdict(claim, other_speakers(rt.store, claim))
            kind = rt.speaker_index().by_id.get(claim.speaker_id)
            review = claim_review(claim, verdict, reasons, author=rt.settings.review_author,
                                  url_base=rt.settings.review_url_base,
                                  speaker_kind=kind.kind if kind else "person")
            print(json.dumps(review, ensure_ascii=False, indent=2))
            return EXIT_OK
        # rated against other speakers too, as the ClaimReview export rates them
        verdicts = review_verdicts(rt.store, claim_set.claims)
        if args.csv:
            with open(args.csv, "w", encoding="utf-8", newline="") as out:
                write_claims_csv(claim_set.claims, out, {i: v for i, (v, _) in (verdicts or {}).items()})
    finally:
        rt.close()
    lines = []
    for c in claim_set.claims:
        note = f" [{c.stance_note}]" if c.stance_note else ""
        verdict, reasons = (verdicts or {}).get(c.id, (c.verdict, []))
        lines.append(f"{c.id}  {c.first_seen or '----------'}  x{c.repeats}  {c.speaker}{note}: “{c.text}”  "
                     f"[{verdict}]")
        if verdict == "Misattributed":
            lines += [f"    {r}" for r in reasons]
        lines += [f"    altered in {d.appearance.outlet or d.appearance.article_id}: “{d.appearance.text}” "
                  f"({'; '.join(d.reasons)})" for d in c.altered]
    if verdicts is None:
        lines.append(f"(ratings from each claim's own reports: more than {REVIEWED_CLAIMS} claims are not "
                     "checked against other speakers; use --speaker)")
    payload = claim_set.to_dict()
    for item in payload["claims"]:
        if verdicts and item["id"] in verdicts:
            item["verdict"], item["verdict_reasons"] = verdicts[item["id"]]
    lines += [f"contradiction ({x.confidence:.2f}): {x.first.id} “{x.first.text}” vs {x.second.id} “{x.second.text}”"
              for x in claim_set.contradictions]
    _emit(args, payload, "\n".join(lines) or "no claims yet")
    return EXIT_OK


def cmd_articles(args) -> int:
    rt = _runtime(args)
    try:
        rows = [r.summary() for r in rt.store.list_articles()]
    finally:
        rt.close()
    lines = [f"{r['article_id']}  {r['date'] or '----------'}  {r['sentences']:>4} sentences  "
             f"{r['title'] or r['path'] or ''}" for r in rows]
    _emit(args, {"articles": rows}, "\n".join(lines) or "no articles yet")
    return EXIT_OK


def _article_id(rt, given: str) -> str:
    """The stored article id ``given`` names: itself, or the one id starting with it."""
    given = given.strip()
    if rt.store.get_article(given) is not None:
        return given
    matches = [i for i in rt.store.article_ids() if i.startswith(given)] if len(given) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise UsageError(f"{len(matches)} articles have ids starting with {given!r}: give more of the id")
    raise WhosaidError(f"no article {given!r} (`whosaid articles` lists them)")


def cmd_show(args) -> int:
    """An indexed article as stored: its metadata, each sentence with its id, and under
    each sentence the attributions whose content it holds (kind, speaker, cue, stance)."""
    rt = _runtime(args)
    try:
        article_id = _article_id(rt, args.article_id)
        record = rt.store.get_article(article_id)
        sentences = rt.store.sentences_of(article_id)
        attributions = sorted(rt.store.attributions(article_id=article_id),
                              key=lambda a: min((c["start"] for c in a["content"]), default=0))
    finally:
        rt.close()
    by_sentence: dict[str, list[dict]] = {}
    for a in attributions:
        first = (a.get("sentence_ids") or [None])[0]
        by_sentence.setdefault(first, []).append(a)
    lines = [record.title or "Untitled article",
             f"{record.outlet or 'outlet unknown'}, {record.date or 'date unknown'}"
             + (f" · {record.url}" if record.url else "") + f" · id {record.id}", ""]
    for sentence in sentences:
        lines.append(f"{sentence.id:<22} {sentence.text}")
        for a in by_sentence.get(sentence.id, []):
            stance = "" if a.get("stance", "asserted") == "asserted" else f" [{a['stance']}]"
            cue = (a.get("cue") or {}).get("text") or "-"
            content = " … ".join(c["text"] for c in a["content"])
            lines.append(f"{'':<22}   ↳ {a['kind']} · {a.get('speaker') or 'unknown source'} · {cue}{stance}: "
                         f"{content[:160]}")
    _emit(args, {"article": record.summary(), "text": record.text,
                 "sentences": [{"id": s.id, "n": s.n, "start": s.start, "end": s.end, "paragraph": s.paragraph,
                                "text": s.text} for s in sentences],
                 "attributions": attributions}, "\n".join(lines))
    return EXIT_OK


def cmd_delete(args) -> int:
    """Delete an article by its id or, as ``show`` takes it, the start of its id naming one
    article (at least four characters; two articles starting so are refused, never guessed)."""
    rt = _runtime(args)
    article_id = args.article_id
    try:
        try:
            article_id = _article_id(rt, args.article_id)
        except WhosaidError:
            pass  # no such article: reported below, as before (an ambiguous start is a UsageError)
        existed = rt.store.delete_article(article_id)
    finally:
        rt.close()
    _emit(args, {"article_id": article_id, "deleted": existed},
          f"deleted {article_id}" if existed else f"no article {article_id}")
    return EXIT_OK if existed else EXIT_REFUSED


def cmd_reindex(args) -> int:
    from index.reindex import reindex

    settings = _settings(args)
    report = reindex(settings)
    _emit(args, report, f"reindexed {report['articles']} articles ({report['embedded']} sentences embedded, "
                        f"{report['reused']} reused)")
    return EXIT_OK


def _port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:``port`` now."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado binds: TIME_WAIT is free
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cmd_ui(args) -> int:
    """Start the Streamlit app on 127.0.0.1. Streamlit always runs headless (its first-run
    e-mail prompt would otherwise wait on the terminal); unless ``--headless``, whosaid
    opens the browser itself once the server answers."""
    import signal
    import subprocess
    import threading

    app = Path(__file__).with_name("app.py")
    env = dict(os.environ)
    for key, value in (("WHOSAID_STORE", args.store), ("WHOSAID_CHROMA_URL", args.chroma_url),
                       ("WHOSAID_EMBEDDINGS", args.embeddings)):
        if value:
            env[key] = value
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "viewer", "--server.headless", "true",
               # the uploader states (and enforces) whosaid's own file size limit, not Streamlit's 200 MB
               "--server.maxUploadSize", str(max(1, math.ceil(_settings(args).max_file_bytes / 2**20)))]
    url = f"http://127.0.0.1:{args.port}/"
    if not _port_free(args.port):
        raise UsageError(f"port {args.port} on 127.0.0.1 is in use (another whosaid app?): "
                         f"stop it, or choose another with --port")
    print(f"whosaid: the app is at {url} (Ctrl+C stops it)", file=sys.stderr)
    proc = subprocess.Popen(command, env=env)
    # Stopping whosaid stops the app: pass SIGTERM/SIGHUP on to Streamlit, then wait for it.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: proc.terminate())
    if not args.headless:
        threading.Thread(target=_open_when_ready, args=(url, proc), daemon=True).start()
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def _open_when_ready(url: str, proc, timeout: float = 120.0) -> None:
    """Open ``url`` in the user's browser once the app's health check answers."""
    import time
    import urllib.request
    import webbrowser

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    webbrowser.open(url)
                    return
        except OSError:
            time.sleep(0.5)


def cmd_eval(args) -> int:
    from index.evaluate import evaluate_attribution, format_report

    try:
        report = evaluate_attribution(Path(args.dir), split=args.split, limit=args.limit)
    except FileNotFoundError as exc:  # no PolNeAR split under DIR
        raise WhosaidError(str(exc)) from None
    _emit(args, report, format_report(report))
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "check": cmd_check, "extract": cmd_extract, "speakers": cmd_speakers, "claims": cmd_claims,
            "articles": cmd_articles, "show": cmd_show, "delete": cmd_delete, "reindex": cmd_reindex, "ui": cmd_ui,
            "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.verb](args)
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    except ConfigError as exc:  # a bad WHOSAID_* value or flag: a usage error too
        print(f"whosaid: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WhosaidError as exc:
        print(f"whosaid: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        sys.stdout = open(os.devnull, "w")
        return EXIT_OK
    except KeyboardInterrupt:
        print("whosaid: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        if os.environ.get("WHOSAID_DEBUG"):
            raise
        print(f"whosaid: internal error ({type(exc).__name__}); run with WHOSAID_DEBUG=1 for details",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
