"""Baseline attribution extractors, scored next to whosaid in every evaluation run.

* ``textacy_quotations``: textacy 0.13's ``extract.triples.direct_quotations`` run on
  each paragraph (as textacy expects), its errors (an odd number of quotation marks in
  a paragraph) caught and counted as "nothing found";
* ``regex_quotations``: a quotation mark pair next to "said"/"says" and a capitalised
  name — what a newsroom gets with one regular expression.

Both return ``BaselineAttribution`` records with character spans into the article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc

from index.sentences import paragraph_starts

Offsets = tuple[int, int]


@dataclass
class BaselineAttribution:
    """One attribution from a baseline: character spans, and the speaker's text."""

    source: list[Offsets]
    cue: list[Offsets]
    content: list[Offsets]
    speaker: str | None = None
    kind: str = "direct"
    errors: list[str] = field(default_factory=list)


def _token_runs(tokens, shift: int) -> list[Offsets]:
    """Contiguous runs of tokens as character spans (shifted into the article)."""
    spans: list[Offsets] = []
    for tok in sorted(tokens, key=lambda t: t.i):
        start, end = tok.idx + shift, tok.idx + len(tok.text) + shift
        if spans and start - spans[-1][1] <= 1:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def textacy_available() -> bool:
    """True if textacy can be imported."""
    try:
        import textacy.extract.triples  # noqa: F401
    except Exception:  # pragma: no cover - depends on the environment
        return False
    return True


def textacy_quotations(doc: Doc, text: str) -> tuple[list[BaselineAttribution], int]:
    """textacy 0.13 ``direct_quotations`` per paragraph of an already parsed article.

    Returns the attributions and the number of paragraphs where textacy raised.
    """
    from textacy.extract.triples import direct_quotations

    found: list[BaselineAttribution] = []
    errors = 0
    starts = paragraph_starts(text) + [len(text)]
    for p_start, p_end in zip(starts, starts[1:]):
        para = doc.char_span(p_start, p_end, alignment_mode="expand")
        if para is None or not para.text.strip():
            continue
        sub = para.as_doc()
        shift = para.start_char
        try:
            for triple in direct_quotations(sub):
                content = triple.content
                found.append(
                    BaselineAttribution(
                        source=_token_runs(triple.speaker, shift),
                        cue=_token_runs(triple.cue, shift),
                        content=[(content.start_char + shift, content.end_char + shift)],
                        speaker=" ".join(t.text for t in triple.speaker),
                    )
                )
        except Exception:  # noqa: BLE001 - textacy raises ValueError on odd quote marks
            errors += 1
    return found, errors


_NAME = r"(?:[A-Z][\w.’'-]*)(?:\s+(?:[A-Z][\w.’'-]*))*"
_QUOTE = r"(?:“[^”\n]+”|\"[^\"\n]+\")"
_SAID = r"(?:said|says)"
_PATTERNS = (
    # “…,” Lavrov said
    re.compile(rf"(?P<content>{_QUOTE})\s*(?P<source>(?:the\s+)?{_NAME})\s+(?P<cue>{_SAID})"),
    # “…,” said Lavrov
    re.compile(rf"(?P<content>{_QUOTE})\s*(?P<cue>{_SAID})\s+(?P<source>{_NAME})"),
    # Lavrov said: “…” / Lavrov said, “…”
    re.compile(rf"(?P<source>{_NAME})\s+(?P<cue>{_SAID})[,:]?\s*(?P<content>{_QUOTE})"),
)


def regex_quotations(text: str) -> list[BaselineAttribution]:
    """Quotation mark + "said"/"says" + capitalised name, by regular expression."""
    found: list[BaselineAttribution] = []
    taken: set[Offsets] = set()
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            content = m.span("content")
            if content in taken:
                continue
            taken.add(content)
            found.append(
                BaselineAttribution(
                    source=[m.span("source")],
                    cue=[m.span("cue")],
                    content=[content],
                    speaker=m.group("source"),
                )
            )
    return found
