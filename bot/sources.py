"""What a reader is shown of a source: a passage of a stored article (one sentence or a
run of them) with its offsets, speaker and the article's title, outlet, date and link.
Citations of answers and evidence of quote checks are both source passages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourcePassage:
    """Sentences of a stored article: ``text == article.text[start:end]``."""

    article_id: str
    sentence_id: str  # the (first) sentence
    text: str
    start: int
    end: int
    speaker: str | None
    title: str | None
    outlet: str | None
    date: str | None
    url: str | None

    def to_dict(self) -> dict:
        return dict(self.__dict__)
